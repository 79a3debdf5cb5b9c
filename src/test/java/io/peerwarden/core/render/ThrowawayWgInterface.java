package io.peerwarden.core.render;

import io.peerwarden.core.keys.ExternalTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A userspace WireGuard interface (wireguard-go) in a fresh network namespace, plus a 0700 temp
 * dir for 0600 key-bearing files. Both names are random: wireguard-go's control sockets live in
 * /var/run/wireguard, which network namespaces do not separate, and other test runs may be using
 * the machine at the same time. {@link #close()} always removes everything it created.
 */
final class ThrowawayWgInterface implements AutoCloseable {

    static final String WG = ExternalTools.WG.toString();

    final String namespace;
    final String name;
    final Path dir;
    private Process daemon;

    private ThrowawayWgInterface(String suffix) throws IOException {
        this.namespace = "pwtest-" + suffix;
        this.name = "pwr" + suffix;
        this.dir = Files.createTempDirectory("pwtest-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** Skips (or fails with CI=true) unless root and all tools are present. */
    static void requireEnvironment() {
        ExternalTools.requireRoot();
        for (Path tool : List.of(ExternalTools.WG, ExternalTools.WG_QUICK, ExternalTools.WIREGUARD_GO, ExternalTools.IP)) {
            ExternalTools.requireExecutable(tool);
        }
        ExternalTools.require(Files.exists(ExternalTools.TUN), ExternalTools.TUN + " is missing (wireguard-go needs TUN)");
    }

    static ThrowawayWgInterface start() throws Exception {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        ThrowawayWgInterface wg = new ThrowawayWgInterface(HexFormat.of().formatHex(random));
        try {
            ExternalTools.run(List.of(ExternalTools.IP.toString(), "netns", "add", wg.namespace), null).ok();
            // -f: stay in the foreground, so the process we hold is the daemon and we can stop it
            wg.daemon = ExternalTools.startBackground(
                    List.of(ExternalTools.IP.toString(), "netns", "exec", wg.namespace, ExternalTools.WIREGUARD_GO.toString(), "-f", wg.name));
            wg.awaitUp();
            return wg;
        } catch (Exception | Error e) {
            wg.close();
            throw e;
        }
    }

    private void awaitUp() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new AssertionError("wireguard-go exited with " + daemon.exitValue() + " before " + name + " came up");
            }
            if (inNamespace(WG, "show", name, "dump").exitCode() == 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " did not come up within 10 s");
    }

    ExternalTools.Result inNamespace(String... command) {
        List<String> argv = new ArrayList<>(List.of(ExternalTools.IP.toString(), "netns", "exec", namespace));
        argv.addAll(List.of(command));
        return ExternalTools.run(argv, null);
    }

    /** Writes a file readable only by its owner (it may hold a private key). */
    Path secretFile(String fileName, String content) throws IOException {
        Path file = Files.createFile(dir.resolve(fileName), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    void setconf(Path file) {
        inNamespace(WG, "setconf", name, file.toString()).ok();
    }

    Dump dump() {
        return Dump.parse(inNamespace(WG, "show", name, "dump").ok().stdout());
    }

    @Override
    public void close() {
        try {
            if (daemon != null) {
                daemon.descendants().forEach(ProcessHandle::destroy);
                daemon.destroy();
                try {
                    if (!daemon.waitFor(5, TimeUnit.SECONDS)) {
                        daemon.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            try {
                ExternalTools.run(List.of(ExternalTools.IP.toString(), "netns", "del", namespace), null);
                // a killed (not terminated) daemon leaves its socket behind; the name is ours alone
                Files.deleteIfExists(Path.of("/var/run/wireguard", name + ".sock"));
            } catch (IOException ignored) {
                // best effort
            } finally {
                deleteRecursively(dir);
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** {@code wg show <if> dump}: the interface line and one line per peer, by public key. */
    record Dump(String privateKey, String publicKey, String listenPort, Map<String, Peer> peers) {

        record Peer(String presharedKey, String endpoint, Set<String> allowedIPs, String persistentKeepalive) {
        }

        static Dump parse(String text) {
            List<String> lines = text.lines().toList();
            String[] iface = lines.get(0).split("\t");
            Map<String, Peer> peers = new LinkedHashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t");
                Set<String> allowed = f[3].equals("(none)") ? Set.of() : new TreeSet<>(List.of(f[3].split(",")));
                peers.put(f[0], new Peer(f[1], f[2], allowed, f[7]));
            }
            return new Dump(iface[0], iface[1], iface[2], peers);
        }
    }
}
