package io.peerwarden.core.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** lastTransitionTime moves only when status flips (cert-manager, Tailscale), so restating changes nothing. */
class ConditionsTest {

    private static final Clock EARLIER = Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Clock LATER = Clock.fixed(Instant.parse("2026-01-01T11:30:00Z"), ZoneOffset.UTC);

    private static final List<Condition> NOT_READY = Conditions.with(null, ConditionTypes.READY, Conditions.FALSE,
            "NodeNotFound", "no node", 1L, EARLIER);

    private static Condition ready(List<Condition> conditions) {
        return Conditions.find(conditions, ConditionTypes.READY).orElseThrow();
    }

    @Test
    void aFlipOfStatusMovesLastTransitionTimeToNow() {
        List<Condition> flipped = Conditions.with(NOT_READY, ConditionTypes.READY, Conditions.TRUE, "Ready", "up", 1L, LATER);

        assertThat(ready(NOT_READY).getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(ready(flipped).getLastTransitionTime()).isEqualTo("2026-01-01T11:30:00Z");
    }

    @Test
    void aNewReasonOrMessageWithoutAFlipKeepsLastTransitionTime() {
        List<Condition> restated = Conditions.with(NOT_READY, ConditionTypes.READY, Conditions.FALSE, "PoolOverlap",
                "overlaps", 2L, LATER);

        assertThat(ready(restated).getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(ready(restated).getReason()).isEqualTo("PoolOverlap");
        assertThat(ready(restated).getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void restatingAnUnchangedConditionLaterLeavesTheListEqual() {
        List<Condition> again = Conditions.with(NOT_READY, ConditionTypes.READY, Conditions.FALSE, "NodeNotFound",
                "no node", 1L, LATER);

        assertThat(again).isEqualTo(NOT_READY);
    }

    @Test
    void aFlipThroughPeerConditionsMovesOnlyTheFlippedCondition() {
        List<Condition> orphan = PeerConditions.orphaned(null, "vpn", "ns", 1L, EARLIER);
        List<Condition> planned = PeerConditions.apply(orphan, PeerConditions.planned(List.of(), List.of("10.0.0.2/32"),
                false, "p-config"), PeerConditions.agentOn("n1"), 1L, LATER);

        assertThat(Conditions.find(planned, ConditionTypes.VALID).orElseThrow().getLastTransitionTime())
                .isEqualTo("2026-01-01T11:30:00Z");
        assertThat(Conditions.find(planned, ConditionTypes.APPLIED).orElseThrow().getLastTransitionTime())
                .as("Applied stays Unknown: no flip").isEqualTo("2026-01-01T10:00:00Z");
    }
}
