package io.peerwarden.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A throwaway network namespace; closing it stops the processes started inside it and deletes it. */
public final class NetNs implements AutoCloseable {

    private static final ProcessCommandRunner HOST = new ProcessCommandRunner(List.of(), Duration.ofSeconds(30));

    private final String name;

    private NetNs(String name) {
        this.name = name;
    }

    public static NetNs create(String prefix) {
        String name = prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        CommandRunner.Result result = HOST.run(List.of("ip", "netns", "add", name));
        if (!result.ok()) {
            throw new IllegalStateException("ip netns add " + name + ": " + result.error());
        }
        NetNs ns = new NetNs(name);
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    public String name() {
        return name;
    }

    /** The command prefix that runs a command inside this namespace. */
    List<String> prefix() {
        return List.of("ip", "netns", "exec", name);
    }

    public ProcessCommandRunner runner() {
        return new ProcessCommandRunner(prefix(), Duration.ofSeconds(60));
    }

    /** Runs a command inside the namespace and fails when it fails. */
    public String exec(String... argv) {
        CommandRunner.Result result = execResult(argv);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", argv) + " in " + name + ": " + result.error());
        }
        return result.stdout();
    }

    public CommandRunner.Result execResult(String... argv) {
        List<String> full = new ArrayList<>(prefix());
        full.addAll(Arrays.asList(argv));
        return HOST.run(full);
    }

    /** Joins two namespaces with a veth pair: {@code aName/aCidr} here, {@code bName/bCidr} in {@code other}. */
    public void veth(String aName, String aCidr, NetNs other, String bName, String bCidr) {
        HOST.run(List.of("ip", "-n", name, "link", "add", aName, "type", "veth", "peer", "name", bName, "netns", other.name));
        exec("ip", "address", "add", aCidr, "dev", aName);
        exec("ip", "link", "set", aName, "up");
        other.exec("ip", "address", "add", bCidr, "dev", bName);
        other.exec("ip", "link", "set", bName, "up");
    }

    @Override
    public void close() {
        // stop what the test started in here (wireguard-go), by pid, then delete the namespace
        for (int round = 0; round < 2; round++) {
            CommandRunner.Result pids = HOST.run(List.of("ip", "netns", "pids", name));
            if (!pids.ok() || pids.stdout().isBlank()) {
                break;
            }
            for (String pid : pids.stdout().strip().split("\\s+")) {
                HOST.run(List.of("kill", round == 0 ? "-TERM" : "-KILL", pid));
            }
            sleep(300);
        }
        HOST.run(List.of("ip", "netns", "del", name));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
