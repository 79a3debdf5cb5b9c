package io.peerwarden.agent;

import io.peerwarden.testing.Closer;
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
    private static final String SMALL_TMPFS = "64k";
    /** The chart's key volume (helm/peerwarden/templates/agent-daemonset.yaml). */
    private static final String CHART_TMPFS = "4m";
    private static final int PEERS = 40;

    private final Closer closer = new Closer();
    private NetNs ns;
    private KeyFiles keyFiles;
    private ProcessCommandRunner runner;
    private String iface;
    private final TestKeys server = TestKeys.generate();

    @BeforeEach
    void setUp() throws Exception {
        Privileged.require();
        ns = closer.add(NetNs.create("pwkeys"));
        runner = ns.runner();
        iface = DataplaneFixture.interfaceName("pwk");
    }

    @AfterEach
    void tearDown() {
        closer.close();
    }

    private void mount(String size) throws IOException, InterruptedException {
        Path mountPoint = Files.createTempDirectory("pwkeys-tmpfs-");
        closer.add(() -> Files.deleteIfExists(mountPoint));
        exec("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", mountPoint.toString());
        closer.add(() -> exec("umount", mountPoint.toString()));
        keyFiles = closer.add(new KeyFiles(mountPoint));
    }

    private static void exec(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", argv) + ": " + out).isZero();
    }

    private List<WgPeerConfig> pskPeers(int count) {
        List<WgPeerConfig> peers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
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
        assertThat(dump.peers()).hasSize(peers.size());
        for (WgPeerConfig peer : peers) {
            assertThat(dump.peers().get(peer.publicKey()).presharedKey()).isEqualTo(peer.presharedKey());
        }
        try (Stream<Path> left = Files.list(keyFiles.directory())) {
            assertThat(left).as("key files left behind").isEmpty();
        }
    }

    @Test
    void morePresharedKeysThanTheKeyVolumeHoldsAsFilesGoInOneConfigFile() throws Exception {
        mount(SMALL_TMPFS);
        InterfaceDriver driver = new InterfaceDriver(runner, Implementation.AUTO, keyFiles, 10);
        List<WgPeerConfig> peers = pskPeers(PEERS);

        ApplyResult result = driver.apply(desired(peers));

        assertAllApplied(peers, result);
        assertThat(result.wgSetInvocations()).as("more new peers than a batch: one wg addconf, no fallback").isEqualTo(1);
        assertThat(runner.invocations()).anyMatch(argv -> argv.subList(0, 2).equals(List.of("wg", "addconf")))
                .noneMatch(argv -> argv.size() > 3 && argv.get(1).equals("set") && argv.contains("peer"));
    }

    @Test
    void aConfigFileThatDoesNotFitFallsBackToBatchesOfKeyFiles() throws Exception {
        mount(SMALL_TMPFS);
        // 600 peers: about 90 KiB of config (150 bytes each), more than the 64 KiB volume; batches of 10 key files fit
        InterfaceDriver driver = new InterfaceDriver(runner, Implementation.AUTO, keyFiles, 10);
        List<WgPeerConfig> peers = pskPeers(600);

        ApplyResult result = driver.apply(desired(peers));

        assertAllApplied(peers, result);
        assertThat(result.wgSetInvocations()).as("no addconf run (its file did not fit), one wg set per batch of 10").isEqualTo(600 / 10);
        assertThat(runner.invocations()).noneMatch(argv -> argv.subList(0, 2).equals(List.of("wg", "addconf")));
    }

    @Test
    void aBatchWhoseKeysDoNotFitIsAppliedOnePeerAtATime() throws Exception {
        mount(SMALL_TMPFS);
        InterfaceDriver driver = new InterfaceDriver(runner, Implementation.AUTO, keyFiles);
        List<WgPeerConfig> peers = pskPeers(PEERS);

        ApplyResult result = driver.apply(desired(peers));

        assertAllApplied(peers, result);
    }

    /** The sizing in docs/install.md: 10,000 peers with preshared keys through the chart's 4Mi volume, in one config file. */
    @Test
    void tenThousandPresharedKeysGoThroughTheChartsKeyVolumeInOneConfigFile() throws Exception {
        mount(CHART_TMPFS);
        InterfaceDriver driver = new InterfaceDriver(runner, Implementation.AUTO, keyFiles);
        List<WgPeerConfig> peers = pskPeers(10_000);

        ApplyResult result = driver.apply(desired(peers));

        assertAllApplied(peers, result);
        assertThat(result.wgSetInvocations()).as("one wg addconf, its file fits the volume").isEqualTo(1);
        System.out.printf("10000 PSK peers through a %s key tmpfs: %d wg addconf/set runs in %d ms%n", CHART_TMPFS,
                result.wgSetInvocations(), result.millis());
    }
}
