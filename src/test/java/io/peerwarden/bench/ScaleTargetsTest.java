package io.peerwarden.bench;

import io.peerwarden.api.v1alpha1.Labels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11's machine-independent targets at CI size (1,000 peers), in the default run: the operator
 * in its own JVM as the product starts it, against the CRUD mock, which records every request, so the
 * writes are counted by the server. No timing is asserted (the benchmark, {@link OperatorBenchmarkTest},
 * measures those); counts and a heap bound are:
 * <ul>
 *   <li>a new peer costs 2 writes: its config Secret and its status, each exactly once;</li>
 *   <li>one peer's spec change costs 2 writes, both about that peer (its Secret, its status): no other peer is touched;</li>
 *   <li>a real resync, the operator process restarted over the rendered peers, reconciles the instance and writes nothing;</li>
 *   <li>the operator converges and restarts within a quarter of the production heap ({@code -Xmx64m} for a tenth of the
 *       10,000 peers), and the live heap each rendered peer retains stays under a regression bound: 11 KiB (measured
 *       8.0 KiB at 1,000 peers with the lean caches and memory, 13.4–14.9 KiB before; heap-after-GC noise is about
 *       ±2 MiB here, ±2 KiB per peer; a second peer cache or PNGs back in the Secret cache add 2–5 KiB). Issue 11's own
 *       target, 128 MiB at 10,000 peers, is the benchmark's to measure at 10,000 ({@code operator.heap.10000.*}).</li>
 * </ul>
 * One run serves every assertion (about a minute): each test asserts one target on its figures.
 */
class ScaleTargetsTest {

    static final int PEERS = 1_000;
    static final String HEAP = "64m";
    /** A regression bound above today's 8.0 KiB per peer (noise ±2 KiB); the 128 MiB-at-10,000 target is measured by the benchmark. */
    static final double KIB_PER_PEER = 11.0;

    private static OperatorScale.Figures figures;

    @BeforeAll
    static void run() throws Exception {
        try (ScaleServer server = ScaleServer.mock()) {
            figures = new OperatorScale(server, PEERS, HEAP, false).run();
        }
        System.out.printf("ScaleTargets: converged in %.0f ms, restart reconciled after %.0f ms; rollout writes %s; change %d writes %s; restart %d writes after %.0f reconciles; "
                        + "heap %.1f MiB (instance alone %.1f MiB), %.2f KiB per peer%n",
                figures.convergeMillis(), figures.restartMillis(), figures.convergeWritesByKind(), figures.changeWrites(), figures.changeTouched(), figures.restartWrites(),
                figures.restartReconciles(), figures.heapMiB(), figures.heapEmptyMiB(), figures.retainedKiBPerPeer());
    }

    @Test
    void aNewPeerCostsTwoWritesItsSecretAndItsStatus() {
        Map<String, Long> byKind = figures.convergeWritesByKind();
        long secrets = sum(byKind, "secrets (peers' namespace)");
        long statuses = sum(byKind, "vpnpeers/status (peers' namespace)");
        assertThat(secrets).as("config Secret writes in the peers' namespace: " + byKind).isEqualTo(PEERS);
        assertThat(statuses).as("VpnPeer status writes: " + byKind).isEqualTo(PEERS);
        assertThat(sum(byKind, "vpnpeers (")).as("the operator never writes a peer's spec or metadata: " + byKind).isZero();
        assertThat(figures.writesPerPeer()).as("all the rollout's writes per new peer, the instance's own (its status, Events,"
                + " the node keys) included: " + byKind).isLessThan(2.05);
    }

    @Test
    void oneSpecChangeAmongAThousandCostsTwoWritesAboutThatPeerOnly() {
        String changed = OperatorScale.peerName(PEERS / 2);
        assertThat(figures.changeWrites()).as("writes for one peer's spec change").isEqualTo(2);
        assertThat(figures.changeTouched()).as("objects written").containsExactlyInAnyOrder(
                "secrets/" + Labels.peerConfigSecretName(changed), "vpnpeers/" + changed);
    }

    @Test
    void aRestartOverRenderedPeersReconcilesAndWritesNothing() {
        assertThat(figures.restartReconciles()).as("instance reconciles of the restarted operator").isGreaterThanOrEqualTo(1);
        assertThat(figures.restartWrites()).as("writes of the restarted operator, counted by the server: %s", figures.restartWritten()).isZero();
    }

    @Test
    void theOperatorFitsItsHeap() {
        assertThat(figures.restartSurvived()).as("converged, restarted and reconciled with -Xmx" + HEAP
                + " and no OutOfMemoryError:\n" + figures.operatorLog()).isTrue();
        assertThat(figures.retainedKiBPerPeer()).as("live heap retained per rendered peer, KiB (heap after GC %.1f MiB at %d peers,"
                        + " %.1f MiB with the instance alone)", figures.heapMiB(), PEERS, figures.heapEmptyMiB())
                .isLessThanOrEqualTo(KIB_PER_PEER);
    }

    private static long sum(Map<String, Long> byKind, String suffix) {
        return byKind.entrySet().stream().filter(e -> e.getKey().contains(suffix)).mapToLong(Map.Entry::getValue).sum();
    }
}
