package io.peerwarden.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.plan.AllocationLedger;
import io.peerwarden.core.plan.DesiredSecret;
import io.peerwarden.core.plan.InstancePlan;
import io.peerwarden.core.plan.InstancePlanner;
import io.peerwarden.core.plan.KeySource;
import io.peerwarden.core.plan.NodeInfo;
import io.peerwarden.core.plan.PeerPlan;
import io.peerwarden.core.plan.SecretLookup;
import io.peerwarden.core.render.QrCodes;
import io.peerwarden.core.status.Conditions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Wall-clock figures of one plan of a whole instance: the initial plan of new peers (allocation, key
 * generation with the real X25519 key source, rendering, QR codes) and the steady-state re-plan of
 * the same peers fed back unchanged (QR codes reused from the Secrets). Prints figures, asserts
 * nothing about time. Tagged "benchmark", so only {@code mvn test -Pbenchmarks} runs it (1,000
 * peers; 10,000 also with -Dbench.large=true). Not a JMH harness: one shot after a short warm-up,
 * good for orders of magnitude, not for percentages.
 */
@Tag("benchmark")
class PlannerBenchmarkTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0.plusSeconds(86_400), java.time.ZoneOffset.UTC);

    @Test
    void thousandPeers() {
        warmUp();
        run(1_000);
    }

    @Test
    void tenThousandPeers() {
        Assumptions.assumeTrue(Boolean.getBoolean("bench.large"), "10,000 peers run only with -Dbench.large=true");
        warmUp();
        run(10_000);
    }

    private static void warmUp() {
        for (int i = 0; i < 1; i++) {
            measure(200, false);
        }
    }

    private static void run(int peers) {
        Figures f = measure(peers, true);
        String typical = f.sampleConfig();
        int samples = 100;
        long start = System.nanoTime();
        for (int i = 0; i < samples; i++) {
            QrCodes.png(typical);
        }
        double qrMicros = (System.nanoTime() - start) / 1000.0 / samples;
        System.out.printf(Locale.ROOT, "PlannerBenchmark QR code PNG of one config (%d bytes): %.0f µs%n", typical.length(), qrMicros);
        System.out.printf(Locale.ROOT, "PlannerBenchmark %,d peers: initial plan %,d ms (%.0f µs/peer), steady-state re-plan %,d ms"
                        + " (%.0f µs/peer), %.1fx cheaper%n", peers, f.initialMs(), 1000.0 * f.initialMs() / peers, f.steadyMs(),
                1000.0 * f.steadyMs() / peers, (double) f.initialMs() / Math.max(1, f.steadyMs()));
    }

    record Figures(long initialMs, long steadyMs, String sampleConfig) {
    }

    private static Figures measure(int count, boolean check) {
        VpnInstance instance = instance();
        List<VpnPeer> peers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            peers.add(peer(i));
        }
        Secrets secrets = new Secrets();
        AllocationLedger ledger = new AllocationLedger();
        InstancePlanner planner = new InstancePlanner(KeySource.random());
        List<NodeInfo> nodes = List.of(new NodeInfo("node-a", Map.of()));

        long start = System.nanoTime();
        InstancePlan initial = planner.plan(instance, peers, secrets, ledger, nodes, List.of());
        long initialNs = System.nanoTime() - start;
        ledger.recordAll(initial.allocations());

        // feed back what the operator would write: the Secrets and the statuses
        List<VpnPeer> fedBack = new ArrayList<>(count);
        for (PeerPlan p : initial.peers()) {
            if (p.secret() != null) {
                secrets.write(p.secret());
            }
            VpnPeer again = peer(Integer.parseInt(p.peer().getMetadata().getName().substring(5)));
            again.setStatus(p.applyTo(new VpnPeerStatus(), CLOCK));
            fedBack.add(again);
        }
        if (initial.keySecret() != null) {
            secrets.write(initial.keySecret());
        }

        start = System.nanoTime();
        InstancePlan steady = planner.plan(instance, fedBack, secrets, ledger, nodes, List.of());
        long steadyNs = System.nanoTime() - start;

        if (check) {
            assertThat(initial.peers()).hasSize(count).allMatch(PeerPlan::valid);
            for (int i = 0; i < count; i++) {
                assertThat(steady.peers().get(i).secret().data()).isEqualTo(initial.peers().get(i).secret().data());
            }
        }
        String sample = new String(java.util.Base64.getDecoder().decode(initial.peers().get(0).secret().data()
                .get(io.peerwarden.api.v1alpha1.Labels.CONFIG)), java.nio.charset.StandardCharsets.UTF_8);
        return new Figures(initialNs / 1_000_000, steadyNs / 1_000_000, sample);
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

    private static VpnPeer peer(int i) {
        VpnPeerSpec spec = new VpnPeerSpec();
        spec.setInstanceRef(new InstanceRef("wg"));
        VpnPeer peer = new VpnPeer();
        peer.setMetadata(new ObjectMetaBuilder().withNamespace("bench").withName("peer-" + i).withUid("uid-" + i)
                .withGeneration(1L).withCreationTimestamp(Conditions.timestamp(T0.plusSeconds(i))).build());
        peer.setSpec(spec);
        return peer;
    }

    private static final class Secrets implements SecretLookup {
        private final Map<String, SecretState> byName = new HashMap<>();

        @Override
        public Optional<SecretState> find(String namespace, String name) {
            return Optional.ofNullable(byName.get(namespace + "/" + name));
        }

        void write(DesiredSecret d) {
            byName.put(d.namespace() + "/" + d.name(), new SecretState(d.data(), d.annotations(), d.labels()));
        }
    }
}
