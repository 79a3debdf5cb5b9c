package io.peerwarden.bench;

import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.operator.OperatorHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How long the real operator takes, against the CRUD mock, from N peers created at once to all N
 * rendered (address, keys, config Secret, status), and how long a resync of the unchanged group
 * takes. A figure for the notes, not a timed assertion: run with {@code -Dbench.operator.peers=1000}.
 */
@Tag("benchmark")
class OperatorScaleBenchmarkTest {

    @Test
    void reconcileManyPeers() {
        int peers = Integer.getInteger("bench.operator.peers", 0);
        assumeTrue(peers > 0, "operator benchmark runs only with -Dbench.operator.peers=N");
        try (OperatorHarness harness = new OperatorHarness().startOperator()) {
            harness.create(instance("big", "10.40.0.1/16"));
            IntStream.range(0, peers).parallel().forEach(i -> harness.create(peer("p" + i, "big", "client")));
            long start = System.nanoTime();
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                    harness.admin.resources(VpnPeer.class).inNamespace(OperatorHarness.NS).list().getItems().stream()
                            .filter(rendered()).count() == peers);
            long rendered = System.nanoTime() - start;
            harness.awaitQuiet(Duration.ofSeconds(3));
            int mark = harness.cluster.requests().size();
            long resyncStart = System.nanoTime();
            harness.resyncInstancesOnWorker1();
            long resync = System.nanoTime() - resyncStart;
            long writes = harness.operatorWritesSince(mark).size();
            System.out.printf("OperatorScaleBenchmark %,d peers: all rendered after %,d ms (%.1f ms/peer); "
                            + "resync of the unchanged group: %,d ms, %d writes, reconcile timer %s%n",
                    peers, rendered / 1_000_000, rendered / 1e6 / peers, resync / 1_000_000, writes,
                    harness.operator().scrapeMetrics().lines().filter(l -> l.startsWith("peerwarden_reconcile_duration_seconds_max"))
                            .findFirst().orElse("n/a"));
            assertThat(writes).isZero();
        }
    }
}
