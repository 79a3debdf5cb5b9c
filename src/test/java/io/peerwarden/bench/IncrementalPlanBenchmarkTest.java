package io.peerwarden.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.core.plan.AllocationLedger;
import io.peerwarden.core.plan.DesiredSecret;
import io.peerwarden.core.plan.InstancePlan;
import io.peerwarden.core.plan.InstancePlanner;
import io.peerwarden.core.plan.KeySource;
import io.peerwarden.core.plan.NodeInfo;
import io.peerwarden.core.plan.PeerChanges;
import io.peerwarden.core.plan.PeerPlan;
import io.peerwarden.core.plan.PlanMemory;
import io.peerwarden.core.plan.SecretLookup;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.tenancy.NamespaceLabels;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One peer's spec change among 10,000, planned incrementally over the {@link PlanMemory} of a full plan of the
 * same peers (real X25519 keys, configs and QR codes rendered): CPU time of the incremental plan (the calling
 * thread, ThreadMXBean: it plans on that thread only) against the full plan's (the whole process, since a
 * full plan renders on every core). Records {@code planner.oneChange.10000}, {@code planner.fullPlan.10000}
 * and the peers planned per change. Tagged "benchmark": {@code mvn -B -o test -Pbenchmarks -Dtest=IncrementalPlanBenchmarkTest}.
 */
@Tag("benchmark")
class IncrementalPlanBenchmarkTest {

    private static final int PEERS = 10_000;
    private static final int CHANGES = 25;
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void oneChangeAmongTenThousand() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, VpnPeer> peers = new ConcurrentHashMap<>();
        for (int i = 0; i < PEERS; i++) {
            VpnPeer p = peer(i, 1L, null);
            peers.put("bench/" + p.getMetadata().getName(), p);
        }
        AtomicInteger allRead = new AtomicInteger();
        Supplier<Collection<VpnPeer>> all = () -> {
            allRead.incrementAndGet();
            return new ArrayList<>(peers.values());
        };
        Secrets secrets = new Secrets();
        AllocationLedger ledger = new AllocationLedger();
        InstancePlanner planner = new InstancePlanner(KeySource.random());
        List<NodeInfo> nodes = List.of(new NodeInfo("node-a", Map.of()));
        VpnInstance instance = instance();
        PlanMemory memory = new PlanMemory();
        // the instance's key Secret exists before its peers arrive
        write(planner.plan(instance, PeerChanges.everything(List.of()), secrets, ledger, nodes, List.of(), Map.of(),
                NamespaceLabels.UNKNOWN, memory, p -> { }), secrets, ledger);

        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        InstancePlan full = planner.plan(instance, PeerChanges.everything(new ArrayList<>(peers.values())), secrets, ledger,
                nodes, List.of(), Map.of(), NamespaceLabels.UNKNOWN, memory, p -> { });
        double fullCpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
        double fullWallMs = (System.nanoTime() - wall0) / 1e6;
        write(full, secrets, ledger);
        assertThat(full.peers()).hasSize(PEERS).allMatch(PeerPlan::valid);

        double[] changeCpuMs = new double[CHANGES];
        int planned = 0;
        allRead.set(0);
        for (int c = 0; c < CHANGES; c++) {
            int i = (c * 397) % PEERS;
            VpnPeer changed = peer(i, 2L, 20 + c);
            peers.put("bench/" + changed.getMetadata().getName(), changed);
            List<PeerPlan> streamed = new ArrayList<>();
            long t0 = threads.getCurrentThreadCpuTime();
            InstancePlan plan = planner.plan(instance, PeerChanges.only(all, Map.of("bench/" + changed.getMetadata().getName(), changed)),
                    secrets, ledger, nodes, List.of(), Map.of(), NamespaceLabels.UNKNOWN, memory, streamed::add);
            changeCpuMs[c] = (threads.getCurrentThreadCpuTime() - t0) / 1e6;
            write(plan, secrets, ledger);
            assertThat(plan.complete()).isFalse();
            planned = Math.max(planned, plan.peers().size());
            assertThat(plan.peers().get(0).valid()).isTrue();
        }
        // a new peer (the lowest free address over the remembered index) and a deleted one
        VpnPeer newcomer = peer(PEERS + 1, 1L, null);
        String newKey = "bench/" + newcomer.getMetadata().getName();
        peers.put(newKey, newcomer);
        long n0 = threads.getCurrentThreadCpuTime();
        InstancePlan added = planner.plan(instance, PeerChanges.only(all, Map.of(newKey, newcomer)), secrets, ledger, nodes,
                List.of(), Map.of(), NamespaceLabels.UNKNOWN, memory, p -> { });
        double newPeerCpuMs = (threads.getCurrentThreadCpuTime() - n0) / 1e6;
        write(added, secrets, ledger);
        assertThat(added.complete()).isFalse();
        assertThat(added.peers()).singleElement().matches(PeerPlan::valid);
        peers.remove("bench/peer-17");
        Map<String, VpnPeer> deleted = new HashMap<>();
        deleted.put("bench/peer-17", null);
        long d0 = threads.getCurrentThreadCpuTime();
        InstancePlan removed = planner.plan(instance, PeerChanges.only(all, deleted), secrets, ledger, nodes,
                List.of(), Map.of(), NamespaceLabels.UNKNOWN, memory, p -> { });
        double deleteCpuMs = (threads.getCurrentThreadCpuTime() - d0) / 1e6;
        assertThat(removed.complete()).isFalse();
        assertThat(removed.pools().get(0).getAllocated()).isEqualTo(PEERS);
        assertThat(allRead).as("the whole group is never read for one change").hasValue(0);
        System.out.printf(Locale.ROOT, "IncrementalPlanBenchmark new peer %.2f ms CPU, deleted peer %.2f ms CPU%n",
                newPeerCpuMs, deleteCpuMs);
        BenchResults.record("planner.newPeer.10000", "one new peer among 10,000 (address allocated over the remembered index): planner CPU",
                newPeerCpuMs, "ms CPU", fullCpuMs, "full plan of the same 10,000 peers (process CPU)", "≤ 50 ms");
        BenchResults.record("planner.deletePeer.10000", "one peer deleted among 10,000: planner CPU",
                deleteCpuMs, "ms CPU", fullCpuMs, "full plan of the same 10,000 peers (process CPU)", "≤ 50 ms");
        double first = changeCpuMs[0];
        double[] sorted = changeCpuMs.clone();
        Arrays.sort(sorted);
        double median = sorted[CHANGES / 2];

        System.out.printf(Locale.ROOT, "IncrementalPlanBenchmark %,d peers: full plan %.0f ms CPU (%.0f ms wall); one change"
                + " %.2f ms CPU median of %d (first after the full plan %.2f ms, max %.2f ms); %d peer planned per change%n",
                PEERS, fullCpuMs, fullWallMs, median, CHANGES, first, sorted[CHANGES - 1], planned);
        BenchResults.record("planner.fullPlan.10000", "full plan of 10,000 new peers (keys, configs, QR codes; process CPU, all cores)",
                fullCpuMs, "ms CPU", null, null, null);
        BenchResults.record("planner.fullPlan.10000.wall", "full plan of 10,000 new peers, wall clock", fullWallMs, "ms", null, null, null);
        BenchResults.record("planner.oneChange.10000", "one peer spec change among 10,000: planner CPU (median of " + CHANGES + ")",
                median, "ms CPU", fullCpuMs, "full plan of the same 10,000 peers (process CPU)", "≤ 50 ms");
        BenchResults.record("planner.oneChange.10000.first", "one peer spec change among 10,000, the first after the full plan"
                + " (checks the ledger holds the full plan's allocations once)", first, "ms CPU", fullCpuMs,
                "full plan of the same 10,000 peers (process CPU)", "≤ 50 ms");
        BenchResults.record("planner.oneChange.10000.peersPlanned", "peers planned for one spec change among 10,000", planned,
                "peers", null, null, "= 1");
        assertThat(planned).isEqualTo(1);
    }

    private static void write(InstancePlan plan, Secrets secrets, AllocationLedger ledger) {
        if (plan.keySecret() != null) {
            secrets.write(plan.keySecret());
        }
        for (PeerPlan p : plan.peers()) {
            if (p.secret() != null) {
                secrets.write(p.secret());
            }
        }
        ledger.recordAll(plan.allocations());
    }

    private static VpnInstance instance() {
        VpnInstanceSpec spec = new VpnInstanceSpec();
        spec.setAddress(List.of("10.24.0.1/16", "fd00:24::1/64"));
        spec.setNodeName("node-a");
        spec.setEndpoint("vpn.example.com");
        spec.setDns(List.of("10.24.0.1"));
        VpnInstance instance = new VpnInstance();
        instance.setMetadata(new ObjectMetaBuilder().withNamespace("bench").withName("wg").withUid("uid-wg")
                .withGeneration(1L).withCreationTimestamp(Conditions.timestamp(T0)).build());
        instance.setSpec(spec);
        return instance;
    }

    private static VpnPeer peer(int i, long generation, Integer keepalive) {
        VpnPeerSpec spec = new VpnPeerSpec();
        spec.setInstanceRef(new InstanceRef("wg"));
        spec.setPersistentKeepalive(keepalive);
        VpnPeer peer = new VpnPeer();
        peer.setMetadata(new ObjectMetaBuilder().withNamespace("bench").withName("peer-" + i).withUid("uid-" + i)
                .withGeneration(generation).withCreationTimestamp(Conditions.timestamp(T0.plusSeconds(i))).build());
        peer.setSpec(spec);
        return peer;
    }

    private static final class Secrets implements SecretLookup {
        private final Map<String, SecretState> byName = new ConcurrentHashMap<>();

        @Override
        public Optional<SecretState> find(String namespace, String name) {
            return Optional.ofNullable(byName.get(namespace + "/" + name));
        }

        void write(DesiredSecret d) {
            byName.put(d.namespace() + "/" + d.name(), new SecretState(d.data(), d.annotations(), d.labels()));
        }
    }
}
