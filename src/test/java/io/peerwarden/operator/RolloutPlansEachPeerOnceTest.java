package io.peerwarden.operator;

import io.peerwarden.api.v1alpha1.VpnPeer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static io.peerwarden.operator.OperatorHarness.NS;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rollout of new peers created in parallel plans each of them once: the events of the operator's own writes (each
 * peer's config Secret and status), whichever comes first, the event or the write's response, mark nothing
 * ({@link OwnWrites}). Before, about 70% of the peers of a 1,000-peer rollout were planned a second time for nothing.
 */
class RolloutPlansEachPeerOnceTest {

    private static final int PEERS = 300;

    @Test
    void eachNewPeerIsPlannedOnceAndNoPlanTakesTheWholeGroup() {
        try (OperatorHarness harness = new OperatorHarness().startOperator()) {
            harness.create(instance("big", "10.40.0.1/16"));
            harness.awaitQuiet(Duration.ofSeconds(1));
            VpnInstanceReconciler reconciler = harness.operator().instanceReconciler();
            VpnInstanceReconciler.PlanCounts before = reconciler.planCounts();

            IntStream.range(0, PEERS).parallel().forEach(i -> harness.create(peer("p" + i, "big", "client")));
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() ->
                    harness.admin.resources(VpnPeer.class).inNamespace(NS).list().getItems().stream().filter(rendered()).count() == PEERS);
            harness.awaitQuiet(Duration.ofSeconds(2));

            VpnInstanceReconciler.PlanCounts after = reconciler.planCounts();
            assertThat(after.full()).as("plans of every peer").isEqualTo(before.full());
            assertThat(after.changedPeers() - before.changedPeers()).as("peers planned: each new one once").isEqualTo(PEERS);
        }
    }
}
