package io.peerwarden.core.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Ready = Valid ∧ AddressAssigned ∧ ConfigRendered ∧ Applied, for the current generation. */
class PeerReadinessTest {

    private final Clock clock = Clock.systemUTC();

    private List<Condition> parts(long appliedGeneration, String appliedStatus) {
        List<Condition> c = Conditions.with(null, ConditionTypes.VALID, Conditions.TRUE, "Valid", "ok", 2L, clock);
        c = Conditions.with(c, ConditionTypes.ADDRESS_ASSIGNED, Conditions.TRUE, "Allocated", "ok", 2L, clock);
        c = Conditions.with(c, ConditionTypes.CONFIG_RENDERED, Conditions.TRUE, "Rendered", "ok", 2L, clock);
        return Conditions.with(c, ConditionTypes.APPLIED, appliedStatus, "Applied", "ok", appliedGeneration, clock);
    }

    private Condition ready(List<Condition> conditions) {
        return Conditions.find(PeerReadiness.withReady(conditions, 2L, clock), ConditionTypes.READY).orElseThrow();
    }

    @Test
    void allPartsTrueForThisGenerationMakeTheSummaryTrue() {
        assertThat(ready(parts(2, Conditions.TRUE)).getStatus()).isEqualTo(Conditions.TRUE);
        assertThat(ready(parts(2, Conditions.TRUE)).getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void anAgentVerdictAboutAnOlderSpecDoesNotMakeThePeerReady() {
        Condition ready = ready(parts(1, Conditions.TRUE));
        assertThat(ready.getStatus()).isEqualTo(Conditions.UNKNOWN);
        assertThat(ready.getReason()).isEqualTo(Reasons.WAITING_FOR_AGENT);
        assertThat(ready.getMessage()).contains("generation 2");
    }

    @Test
    void aFalsePartMakesTheSummaryFalseWithItsReason() {
        List<Condition> conditions = Conditions.with(parts(2, Conditions.TRUE), ConditionTypes.VALID, Conditions.FALSE,
                Reasons.ALLOWED_IP_TAKEN, "taken", 2L, clock);
        Condition ready = ready(conditions);
        assertThat(ready.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(ready.getReason()).isEqualTo(Reasons.ALLOWED_IP_TAKEN);
    }

    @Test
    void connectedIsNotPartOfReady() {
        List<Condition> conditions = Conditions.with(parts(2, Conditions.TRUE), ConditionTypes.CONNECTED, Conditions.FALSE,
                Reasons.NO_RECENT_HANDSHAKE, "offline laptop", 2L, clock);
        assertThat(ready(conditions).getStatus()).isEqualTo(Conditions.TRUE);
    }
}
