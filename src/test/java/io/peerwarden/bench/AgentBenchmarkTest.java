package io.peerwarden.bench;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.peerwarden.agent.CommandRunner;
import io.peerwarden.agent.Implementation;
import io.peerwarden.agent.InterfaceDriver;
import io.peerwarden.agent.KeyFiles;
import io.peerwarden.agent.NetNs;
import io.peerwarden.agent.PeerObservation;
import io.peerwarden.agent.Privileged;
import io.peerwarden.agent.ProcessCommandRunner;
import io.peerwarden.agent.StatusMutations;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.node.DesiredInterface;
import io.peerwarden.core.node.InterfacePlan;
import io.peerwarden.core.node.PeerChange;
import io.peerwarden.core.node.PeerDisposition;
import io.peerwarden.agent.PeerVerdicts;
import io.peerwarden.agent.ApplyResult;
import io.peerwarden.agent.StatusMemory;
import io.peerwarden.core.wg.WgDump;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.status.PeerReadiness;
import io.peerwarden.core.wg.WgPeer;
import io.peerwarden.core.wg.WgPeerConfig;
import io.peerwarden.kube.Serialization;
import io.peerwarden.testing.Closer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node agent at 10,000 peers on one wireguard-go interface in a throwaway network namespace, each figure next
 * to the bare {@code wg} command that does the same on a second interface of the same namespace, in the same run.
 * Root only (skips without, fails under CI=true); tagged "benchmark", so only {@code -Pbenchmarks} runs it.
 */
@Tag("benchmark")
class AgentBenchmarkTest {

    private static final int PEERS = Integer.getInteger("bench.agent.peers", 10_000);
    private static final int CHANGES = 7;
    private static final int APPLY_ROUNDS = 5;

    private final Closer closer = new Closer();
    private NetNs ns;
    private KeyFiles keyFiles;

    @BeforeEach
    void setUp() {
        Privileged.require();
        ns = closer.add(NetNs.create("pwbench"));
        keyFiles = closer.add(new KeyFiles(KeyFiles.defaultBase()));
    }

    @AfterEach
    void tearDown() {
        closer.close();
    }

    /** Counts process starts, delegating to the real runner. */
    static final class Counting implements CommandRunner {
        final CommandRunner delegate;
        final AtomicInteger runs = new AtomicInteger();
        final List<List<String>> argvs = new ArrayList<>();

        Counting(CommandRunner delegate) {
            this.delegate = delegate;
        }

        final List<String> timings = new ArrayList<>();
        long mark = System.nanoTime();

        @Override
        public Result run(List<String> argv) {
            runs.incrementAndGet();
            argvs.add(argv);
            long t0 = System.nanoTime();
            Result result = delegate.run(argv);
            timings.add(String.join(" ", argv.subList(0, Math.min(4, argv.size()))) + " @" + (t0 - mark) / 1_000_000 + " +"
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
            return result;
        }

        @Override
        public Process start(List<String> argv, Map<String, String> extraEnv, Path log) throws IOException {
            runs.incrementAndGet();
            return delegate.start(argv, extraEnv, log);
        }
    }

    private static List<WgPeerConfig> peers(int n) {
        List<WgPeerConfig> peers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String key = WireGuardKeys.publicKeyOf(WireGuardKeys.generatePrivateKey());
            peers.add(new WgPeerConfig(key, WireGuardKeys.generatePresharedKey(), null, Set.of(address(i)), 0));
        }
        return peers;
    }

    /** 10.64.0.2/32 onwards, one /32 per peer. */
    static String address(int i) {
        int host = i + 2;
        return "10.64." + (host >> 8) + "." + (host & 0xff) + "/32";
    }

    private static String changedAddress(int i) {
        int host = i + 2;
        return "10.65." + (host >> 8) + "." + (host & 0xff) + "/32";
    }

    private DesiredInterface desired(String iface, String privateKey, List<WgPeerConfig> peers) {
        return new DesiredInterface(iface, "peerwarden:bench/vpn", privateKey, 51820, List.of("10.64.0.1/16"), null,
                peers, Map.of(), true, Set.of());
    }

    /** A wg config file of the peers (keys in the file, the file private) as {@code wg setconf} reads it. */
    private Path configFile(String privateKey, int port, List<WgPeerConfig> peers) throws IOException {
        Path dir = closer.privateDirectory("pwbench-conf-");
        Path file = dir.resolve("wg.conf");
        StringBuilder text = new StringBuilder("[Interface]\nPrivateKey = ").append(privateKey).append("\nListenPort = ")
                .append(port).append('\n');
        for (WgPeerConfig p : peers) {
            text.append("[Peer]\nPublicKey = ").append(p.publicKey()).append("\nPresharedKey = ").append(p.presharedKey())
                    .append("\nAllowedIPs = ").append(String.join(",", p.allowedIps())).append('\n');
        }
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
        return file;
    }

    private static double setconf(CommandRunner real, String bareIf, Path conf) {
        long t0 = System.nanoTime();
        ok(real.run(List.of("wg", "setconf", bareIf, conf.toString())));
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static void ok(CommandRunner.Result result) {
        assertThat(result.ok()).as(result.error()).isTrue();
    }

    @Test
    void tenThousandPeersOnOneInterface() throws IOException {
        ProcessCommandRunner real = ns.runner();
        Counting runner = new Counting(real);
        InterfaceDriver driver = new InterfaceDriver(runner, Implementation.USERSPACE, keyFiles);
        InterfaceDriver bareMaker = new InterfaceDriver(real, Implementation.USERSPACE, keyFiles);
        String privateKey = WireGuardKeys.generatePrivateKey();
        List<WgPeerConfig> peers = peers(PEERS);
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();

        // 10k apply to an empty interface vs bare wg setconf of the same config, alternating on fresh interfaces
        // (the machine is shared: alternating rounds see the same load), medians of the rounds
        List<Double> bareSetconf = new ArrayList<>();
        List<Double> agentApply = new ArrayList<>();
        List<Double> agentCpu = new ArrayList<>();
        List<Double> readBack = new ArrayList<>();
        String agentIf = null;
        String bareIf = null;
        for (int round = 0; round < APPLY_ROUNDS; round++) {
            if (agentIf != null) {
                driver.teardown(agentIf);
                bareMaker.teardown(bareIf);
            }
            agentIf = "pwa" + round + Long.toHexString(System.nanoTime() & 0xfffff);
            bareIf = "pwb" + round + Long.toHexString(System.nanoTime() & 0xfffff);
            // two empty interfaces, created the same way (wireguard-go)
            assertThat(driver.apply(desired(agentIf, privateKey, List.of())).interfaceOk()).isTrue();
            assertThat(bareMaker.apply(new DesiredInterface(bareIf, "peerwarden:bench/bare", WireGuardKeys.generatePrivateKey(), 51821,
                    List.of("10.66.0.1/16"), null, List.of(), Map.of(), true, Set.of())).interfaceOk()).isTrue();
            Path conf = configFile(privateKey, 51821, peers);
            // the one that runs second finds the other's wireguard-go just done with 10k peers: the order alternates
            boolean agentFirst = round % 2 == 1;
            if (!agentFirst) {
                bareSetconf.add(setconf(real, bareIf, conf));
            }
            runner.timings.clear();
            runner.mark = System.nanoTime();
            long c0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            var applied = driver.apply(desired(agentIf, privateKey, peers));
            agentApply.add((System.nanoTime() - t0) / 1e6);
            agentCpu.add((cpu.getCurrentThreadCpuTime() - c0) / 1e6);
            if (agentFirst) {
                bareSetconf.add(setconf(real, bareIf, conf));
            }
            Files.delete(conf);
            System.out.printf("agent apply round %d (%s first): agent %.0f ms (own CPU %.0f ms), bare wg setconf %.0f ms; agent's commands "
                    + "(start @ms +duration): %s%n", round, agentFirst ? "agent" : "bare", agentApply.get(round), agentCpu.get(round),
                    bareSetconf.get(round), runner.timings);
            assertThat(applied.interfaceOk()).isTrue();
            assertThat(applied.peerErrors()).isEmpty();
            // the read-back the apply no longer does: the next status pass's dump checks what wg accepted
            assertThat(driver.unread(agentIf)).isTrue();
            t0 = System.nanoTime();
            assertThat(driver.observe(agentIf).orElseThrow().peers()).hasSize(PEERS);
            readBack.add((System.nanoTime() - t0) / 1e6);
            assertThat(driver.unread(agentIf)).isFalse();
            assertThat(driver.converged(agentIf)).isTrue();
        }
        BenchResults.record("agent.apply." + PEERS, "agent: apply " + PEERS + " peers to an empty interface", median(agentApply), "ms",
                median(bareSetconf), "bare wg setconf of the same config", "≤ 1.5×");
        BenchResults.record("agent.apply.cpu." + PEERS, "agent: its own CPU in that apply (the wg processes excluded)",
                median(agentCpu), "ms", null, null, null);
        BenchResults.record("agent.apply.readBack." + PEERS, "agent: the next status pass's read of that interface, checking the "
                + PEERS + " peers the apply set (not part of the apply)", median(readBack), "ms", null, null, null);

        // one changed peer among 10k vs one bare wg set
        List<Double> bare = new ArrayList<>();
        // alternating: a bare wg set on the bare interface, then the agent's change of another peer on its own
        List<Double> agent = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        List<WgPeerConfig> current = new ArrayList<>(peers);
        for (int i = 0; i < CHANGES; i++) {
            WgPeerConfig p = peers.get(100 + i);
            long t0 = System.nanoTime();
            ok(real.run(List.of("wg", "set", bareIf, "peer", p.publicKey(), "allowed-ips", changedAddress(100 + i))));
            bare.add((System.nanoTime() - t0) / 1e6);

            int index = 200 + i;
            WgPeerConfig q = current.get(index);
            current.set(index, new WgPeerConfig(q.publicKey(), q.presharedKey(), null, Set.of(changedAddress(index)), 0));
            DesiredInterface want = desired(agentIf, privateKey, current);
            runner.runs.set(0);
            t0 = System.nanoTime();
            var result = singleChange(driver, want, current.get(index));
            agent.add((System.nanoTime() - t0) / 1e6);
            starts.add(runner.runs.get());
            assertThat(result.peerErrors()).isEmpty();
        }
        WgPeer changed = driver.show(agentIf).orElseThrow().peers().get(current.get(200).publicKey());
        assertThat(changed.allowedIps()).containsExactly(changedAddress(200));
        BenchResults.record("agent.oneChange." + PEERS, "agent: one changed peer among " + PEERS, median(agent), "ms",
                median(bare), "one bare wg set", "≤ 3×");
        BenchResults.record("agent.oneChange.processStarts." + PEERS, "agent: process starts for one changed peer among " + PEERS,
                median(starts.stream().map(Integer::doubleValue).toList()), "process starts", null, null, "= 1");
    }

    /** How the agent applies one peer's change on a converged interface: the event-driven path, that peer only. */
    private static io.peerwarden.agent.ApplyResult singleChange(InterfaceDriver driver, DesiredInterface want, WgPeerConfig changed) {
        assertThat(driver.converged(want.name())).isTrue();
        return driver.applyChange(want.name(), new PeerChange(List.of(changed), Set.of(), Set.of(), Map.of(), Set.of()));
    }

    @Test
    void statusPassAtTenThousandPeers() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
        List<VpnPeer> peers = new ArrayList<>(PEERS);
        List<PeerObservation> seen = new ArrayList<>(PEERS);
        long handshake = clock.instant().minusSeconds(30).getEpochSecond();
        for (int i = 0; i < PEERS; i++) {
            VpnPeer peer = new VpnPeer();
            peer.setMetadata(new ObjectMetaBuilder().withName("p" + i).withNamespace("bench").withGeneration(1L)
                    .withUid("uid-" + i).withResourceVersion("1").build());
            VpnPeerSpec spec = new VpnPeerSpec();
            spec.setType("client");
            peer.setSpec(spec);
            VpnPeerStatus status = new VpnPeerStatus();
            status.setObservedGeneration(1L);
            status.setPublicKey("key" + i);
            status.setAllowedIPs(List.of(address(i)));
            var c = Conditions.with(null, ConditionTypes.VALID, Conditions.TRUE, Reasons.VALID, "The spec is valid.", 1L, clock);
            c = Conditions.with(c, ConditionTypes.ADDRESS_ASSIGNED, Conditions.TRUE, Reasons.ALLOCATED, "Allocated.", 1L, clock);
            c = Conditions.with(c, ConditionTypes.CONFIG_RENDERED, Conditions.TRUE, Reasons.RENDERED, "Rendered.", 1L, clock);
            status.setConditions(PeerReadiness.withReady(c, 1L, clock));
            WgPeer live = new WgPeer("key" + i, null, "192.0.2.1:" + (1000 + i), Set.of(address(i)), handshake, 1000 + i, 2000 + i, 0);
            PeerObservation observation = new PeerObservation(Conditions.TRUE, Reasons.APPLIED,
                    "The server interface pwbench has the peer.", live, false);
            peer.setStatus(StatusMutations.peer(status, 1L, observation, clock, true));
            peers.add(peer);
            seen.add(observation);
        }
        // the agent's status pass: each peer's verdict from the live dump, compared with what was last written
        Map<String, WgPeer> livePeers = new java.util.LinkedHashMap<>();
        Map<String, PeerDisposition> dispositions = new java.util.HashMap<>();
        for (int i = 0; i < PEERS; i++) {
            livePeers.put("key" + i, seen.get(i).live());
            dispositions.put("p" + i, PeerDisposition.desired(new WgPeerConfig("key" + i, null, null, Set.of(address(i)), 0)));
        }
        InterfacePlan plan = new InterfacePlan("pwbench", null, null, null, dispositions);
        ApplyResult result = new ApplyResult(null, null, Map.of(), new WgDump(null, null, 51820, 0, livePeers), Set.of(), Set.of(),
                0, 0, 0, 0, 0, 0);
        StatusMemory memory = new StatusMemory();
        for (VpnPeer peer : peers) {
            memory.remember(peer, 1L, PeerVerdicts.observe(dispositions.get(peer.getMetadata().getName()), plan, result, Set.of()), true,
                    clock.instant());
        }
        List<Double> times = new ArrayList<>();
        int writes = 0;
        for (int round = 0; round < 9; round++) {
            long t0 = System.nanoTime();
            writes = 0;
            for (VpnPeer peer : peers) {
                PeerObservation observation = PeerVerdicts.observe(dispositions.get(peer.getMetadata().getName()), plan, result, Set.of());
                if (!memory.unchanged(peer, 1L, observation, true, clock.instant())) {
                    writes++;
                }
            }
            times.add((System.nanoTime() - t0) / 1e6);
        }
        assertThat(writes).isZero();
        // the previous pass, for comparison: a deep copy, the mutation and a tree comparison per peer
        List<Double> before = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            assertThat(statusPass(peers, seen, clock)).isZero();
            before.add((System.nanoTime() - t0) / 1e6);
        }
        BenchResults.record("agent.statusPass." + PEERS, "agent: status pass over " + PEERS + " unchanged peers (CPU, no API calls)",
                median(times.subList(2, times.size())), "ms", median(before.subList(1, before.size())),
                "deep copy and compare of every peer's status (the pass before)", "≤ 150 ms");
    }

    /** The status pass's work without the API calls: what it would write. */
    private static int statusPass(List<VpnPeer> peers, List<PeerObservation> seen, Clock clock) {
        int writes = 0;
        for (int i = 0; i < peers.size(); i++) {
            VpnPeer copy = Serialization.copy(peers.get(i), VpnPeer.class);
            VpnPeerStatus before = Serialization.copy(copy.getStatus(), VpnPeerStatus.class);
            PeerObservation observation = seen.get(i);
            VpnPeerStatus after = StatusMutations.peer(copy.getStatus(), 1L, observation, clock, false);
            if (!Objects.equals(Serialization.asTree(before), Serialization.asTree(after))) {
                writes++;
            }
        }
        return writes;
    }
}
