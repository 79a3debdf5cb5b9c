package io.peerwarden.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A TCP server and client for dataplane tests, run in a network namespace as their own JVM (no nc or python on the
 * test machines): the server answers every connection with the address it sees the client at; the client prints
 * that answer. {@code serve <port>...} / {@code connect <host> <port>}.
 */
public final class TcpProbe {

    private TcpProbe() {
    }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("serve")) {
            for (int i = 1; i < args.length; i++) {
                int port = Integer.parseInt(args[i]);
                Thread t = new Thread(() -> serve(port));
                t.start();
            }
            return;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(args[1], Integer.parseInt(args[2])), 3000);
            socket.setSoTimeout(3000);
            System.out.println(new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine());
        }
    }

    private static void serve(int port) {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("::", port));
            while (true) {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    String host = ((InetSocketAddress) s.getRemoteSocketAddress()).getAddress().getHostAddress();
                    out.write(("seen-from " + host + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> java(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = new java.util.ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), TcpProbe.class.getName()));
        argv.addAll(List.of(args));
        return argv;
    }

    /** Starts servers on {@code ports} in {@code ns} (stopped with the namespace). */
    static Process serve(NetNs ns, Path log, int... ports) throws IOException {
        String[] args = new String[ports.length + 1];
        args[0] = "serve";
        for (int i = 0; i < ports.length; i++) {
            args[i + 1] = String.valueOf(ports[i]);
        }
        return ns.runner().start(java(args), Map.of(), log);
    }

    /** Connects from {@code ns}: the address the server saw, or empty when the connection failed. */
    static java.util.Optional<String> connect(NetNs ns, String host, int port) {
        ProcessCommandRunner runner = new ProcessCommandRunner(ns.prefix(), Duration.ofSeconds(30));
        CommandRunner.Result result = runner.run(java("connect", host, String.valueOf(port)));
        if (!result.ok() || !result.stdout().startsWith("seen-from ")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(result.stdout().strip().substring("seen-from ".length()));
    }
}
