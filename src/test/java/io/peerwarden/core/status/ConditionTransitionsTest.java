package io.peerwarden.core.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionTransitionsTest {

    private static Optional<Condition> condition(String status, String reason) {
        return Optional.of(new ConditionBuilder().withType("Valid").withStatus(status).withReason(reason).withMessage("m").build());
    }

    @Test
    void turningFalseIsAWarningAndStayingFalseForTheSameReasonIsNothing() {
        assertThat(ConditionTransitions.newFailure(condition("True", "Valid"), condition("False", "Taken")))
                .contains(new ConditionTransitions.Notice("Warning", "Taken", "m"));
        assertThat(ConditionTransitions.newFailure(Optional.empty(), condition("False", "Taken"))).isPresent();
        assertThat(ConditionTransitions.newFailure(condition("False", "Taken"), condition("False", "Taken"))).isEmpty();
        assertThat(ConditionTransitions.newFailure(condition("False", "Taken"), condition("False", "Other"))).isPresent();
        assertThat(ConditionTransitions.newFailure(condition("False", "Taken"), condition("True", "Valid"))).isEmpty();
    }

    @Test
    void aPeerBecomingValidAgainIsNormalButItsFirstValidVerdictIsNothing() {
        assertThat(ConditionTransitions.validity(condition("False", "Taken"), condition("True", "Valid")))
                .contains(new ConditionTransitions.Notice("Normal", "Valid", "The peer is valid again: m"));
        assertThat(ConditionTransitions.validity(Optional.empty(), condition("True", "Valid"))).isEmpty();
        assertThat(ConditionTransitions.validity(condition("True", "Valid"), condition("True", "Valid"))).isEmpty();
        assertThat(ConditionTransitions.validity(condition("True", "Valid"), condition("False", "Taken")))
                .map(ConditionTransitions.Notice::type).contains("Warning");
    }
}
