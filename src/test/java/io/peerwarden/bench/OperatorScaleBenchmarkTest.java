package io.peerwarden.bench;

import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.operator.OperatorHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real operator in the test JVM against the CRUD mock, N peers there before it starts (it sees them all at once):
 * how soon it writes its first Secret, how long until all N are rendered, how many threads the JVM started meanwhile
 * (with the operator's bounded client pools, and with fabric8's defaults as the baseline), and what one change costs
 * afterwards: one peer's spec edit, one new peer, a real resync (every peer planned again) of the unchanged group.
 * Run with {@code -Pbenchmarks -Dtest=OperatorScaleBenchmarkTest -Dbench.operator.peers=1000}.
 */
@Tag("benchmark")
class OperatorScaleBenchmarkTest {

    @Test
    void reconcileManyPeers() {
        int peers = Integer.getInteger("bench.operator.peers", 0);
        assumeTrue(peers > 0, "operator benchmark runs only with -Dbench.operator.peers=N");
        Rollout unbounded = rollout(peers, false, false);
        Rollout bounded = rollout(peers, true, true);
        System.out.printf("OperatorScaleBenchmark %,d peers: first Secret after %,d ms, all rendered after %,d ms; threads started "
                        + "%,d (fabric8 default pools: %,d); writes: one spec change %d, new peer %d, real resync %d%n",
                peers, bounded.firstSecretMillis, bounded.renderedMillis, bounded.threadsStarted, unbounded.threadsStarted,
                bounded.oneChangeWrites, bounded.newPeerWrites, bounded.resyncWrites);
        String n = String.format("%,d", peers);
        BenchResults.record("operator.threads-started.rollout." + peers, "threads started during a rollout of " + n + " peers",
                bounded.threadsStarted, "threads", (double) unbounded.threadsStarted, "fabric8's default client pools", "≪ 1 per peer");
        BenchResults.record("operator.first-secret." + peers, "first config Secret written after the operator sees " + n + " peers",
                bounded.firstSecretMillis, "ms", null, null, "≤ 2000 ms");
        BenchResults.record("operator.rendered.inprocess." + peers, "all " + n + " peers rendered (operator in the test JVM, mock)",
                bounded.renderedMillis, "ms", (double) unbounded.renderedMillis, "same with fabric8's default client pools", null);
        BenchResults.record("operator.writes.one-change." + peers, "API writes for one peer's spec change among " + n,
                bounded.oneChangeWrites, "writes", null, null, "2");
        BenchResults.record("operator.writes.new-peer." + peers, "API writes for one new peer among " + n
                        + " (Secret, status, node keys, instance counts)", bounded.newPeerWrites, "writes", null, null, "≤ 4");
        BenchResults.record("operator.writes.resync." + peers, "API writes for a real resync of " + n + " unchanged peers",
                bounded.resyncWrites, "writes", null, null, "0");
        assertThat(bounded.oneChangeWrites).isEqualTo(2);
        assertThat(bounded.resyncWrites).isZero();
    }

    private record Rollout(long firstSecretMillis, long renderedMillis, long threadsStarted, int oneChangeWrites,
                           int newPeerWrites, int resyncWrites) {
    }

    private static Rollout rollout(int peers, boolean boundedClient, boolean changes) {
        try (OperatorHarness harness = new OperatorHarness().boundedClient(boundedClient)) {
            harness.create(instance("big", "10.40.0.1/16"));
            IntStream.range(0, peers).parallel().forEach(i -> harness.create(peer("p" + i, "big", "client")));
            long threadsBefore = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
            int mark = harness.cluster.requests().size();
            AtomicLong firstSecret = new AtomicLong();
            long start = System.nanoTime();
            Thread watcher = new Thread(() -> {
                while (firstSecret.get() == 0 && !Thread.currentThread().isInterrupted()) {
                    if (harness.operatorWritesSince(mark).stream().anyMatch(c -> c.path().contains("/secrets")
                            && c.method().equals("POST") && c.path().contains("/namespaces/default/"))) {
                        firstSecret.set(System.nanoTime());
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "first-secret-watch");
            watcher.setDaemon(true);
            watcher.start();
            harness.startOperator();
            await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(500)).until(() ->
                    harness.admin.resources(VpnPeer.class).inNamespace(OperatorHarness.NS).list().getItems().stream()
                            .filter(rendered()).count() == peers);
            long rendered = System.nanoTime() - start;
            long threads = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - threadsBefore;
            watcher.interrupt();
            harness.awaitQuiet(Duration.ofSeconds(3));
            if (!changes) {
                return new Rollout(0, rendered / 1_000_000, threads, -1, -1, -1);
            }
            int before = harness.cluster.requests().size();
            harness.admin.resources(VpnPeer.class).inNamespace(OperatorHarness.NS).withName("p7").edit(p -> {
                p.getSpec().setDns(List.of("10.40.0.53"));
                return p;
            });
            harness.awaitPeer("p7", rendered().and(p -> p.getMetadata().getGeneration() == 2L));
            harness.awaitQuiet(Duration.ofSeconds(3));
            int oneChange = harness.operatorWritesSince(before).size();

            before = harness.cluster.requests().size();
            harness.create(peer("newcomer", "big", "client"));
            harness.awaitPeer("newcomer", rendered());
            harness.awaitInstance("big", i -> i.getStatus().getPeers().getTotal() == peers + 1);
            harness.awaitQuiet(Duration.ofSeconds(3));
            int newPeer = harness.operatorWritesSince(before).size();

            before = harness.cluster.requests().size();
            double fullPlans = plans(harness, "all");
            harness.resyncInstancesOnWorker1();
            harness.awaitQuiet(Duration.ofSeconds(3));
            assertThat(plans(harness, "all")).as("a plan of every peer ran").isGreaterThan(fullPlans);
            int resync = harness.operatorWritesSince(before).size();
            return new Rollout((firstSecret.get() - start) / 1_000_000, rendered / 1_000_000, threads, oneChange, newPeer, resync);
        }
    }

    private static double plans(OperatorHarness harness, String scope) {
        return harness.operator().metrics().registry().find("peerwarden_plans_total").tag("scope", scope).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

}
