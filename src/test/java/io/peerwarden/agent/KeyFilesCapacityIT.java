package io.peerwarden.agent;

import io.peerwarden.core.node.DesiredInterface;
import io.peerwarden.core.wg.WgDump;
import io.peerwarden.core.wg.WgPeerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key files on a tmpfs as small as the chart's key volume would be if it held one page per key: every preshared
 * key of a diff must still reach the interface, while the directory only ever holds one batch's files.
 */
class KeyFilesCapacityIT {

    /** 16 pages of 4 KiB: 16 key files at most, whatever their 45 bytes. */
    private static final String TMPFS_SIZE = "64k";
    private static final int PEERS = 40;

    private NetNs ns;
    private Path mountPoint;
    private KeyFiles keyFiles;
    private ProcessCommandRunner runner;
    private String iface;
    private final TestKeys server = TestKeys.generate();

    @BeforeEach
    void setUp() throws Exception {
        Privileged.require();
        mountPoint = Files.createTempDirectory("pwkeys-tmpfs-");
        exec("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE + ",mode=0700", "tmpfs", mountPoint.toString());
        ns = NetNs.create("pwkeys");
        keyFiles = new KeyFiles(mountPoint);
        runner = ns.runner();
        iface = DataplaneFixture.interfaceName("pwk");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (ns != null) {
                ns.close();
            }
        } finally {
            if (keyFiles != null) {
                keyFiles.close();
            }
            if (mountPoint != null) {
                exec("umount", mountPoint.toString());
                Files.deleteIfExists(mountPoint);
            }
        }
    }

    private static void exec(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", argv) + ": " + out).isZero();
    }

    private List<WgPeerConfig> pskPeers() {
        List<WgPeerConfig> peers = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
            peers.add(new WgPeerConfig(TestKeys.generate().publicKey(), TestKeys.generate().privateKey(), null,
                    Set.of("10.60." + (i / 200) + "." + (i % 200 + 2) + "/32"), 0));
        }
        return peers;
    }

    private DesiredInterface desired(List<WgPeerConfig> peers) {
        return new DesiredInterface(iface, "peerwarden:test/vpn", server.privateKey(), 51840,
                List.of("10.60.0.1/16"), 1380, peers, java.util.Map.of(), true, Set.of());
    }

    private void assertAllApplied(List<WgPeerConfig> peers, ApplyResult result) throws IOException {
        assertThat(result.interfaceError()).isNull();
        assertThat(result.peerErrors()).isEmpty();
        WgDump dump = WgDump.parse(ns.exec("wg", "show", iface, "dump"));
        assertThat(dump.peers()).hasSize(PEERS);
        for (WgPeerConfig peer : peers) {
            assertThat(dump.peers().get(peer.publicKey()).presharedKey()).isEqualTo(peer.presharedKey());
        }
        try (Stream<Path> left = Files.list(keyFiles.directory())) {
            assertThat(left).as("key files left behind").isEmpty();
        }
    }

    @Test
    void morePresharedKeysThanTheKeyVolumeHoldsAreAllAppliedBatchByBatch() throws IOException {
        InterfaceDriver driver = new InterfaceDriver(runner, Implementation.AUTO, keyFiles, 10);
        List<WgPeerConfig> peers = pskPeers();

        ApplyResult result = driver.apply(desired(peers));

        assertAllApplied(peers, result);
        assertThat(result.wgSetInvocations()).as("one wg set per batch of 10, no fallback").isEqualTo(PEERS / 10);
    }

    @Test
    void aBatchWhoseKeysDoNotFitIsAppliedOnePeerAtATime() throws IOException {
        InterfaceDriver driver = new InterfaceDriver(runner, Implementation.AUTO, keyFiles);
        List<WgPeerConfig> peers = pskPeers();

        ApplyResult result = driver.apply(desired(peers));

        assertAllApplied(peers, result);
    }
}
