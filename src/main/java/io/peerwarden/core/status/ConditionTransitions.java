package io.peerwarden.core.status;

import io.fabric8.kubernetes.api.model.Condition;

import java.util.Objects;
import java.util.Optional;

/**
 * Which condition transitions are worth a Kubernetes Event, decided from the condition before and
 * after a status write. Only transitions count, so a steady state adds no Events.
 */
public final class ConditionTransitions {

    /** An Event to record: {@code type} is "Warning" or "Normal". */
    public record Notice(String type, String reason, String message) {
    }

    private ConditionTransitions() {
    }

    /** A Warning when the condition turned False, or changed its reason while False. */
    public static Optional<Notice> newFailure(Optional<Condition> before, Optional<Condition> after) {
        if (after.isEmpty() || !Conditions.FALSE.equals(after.get().getStatus())) {
            return Optional.empty();
        }
        if (before.isPresent() && Conditions.FALSE.equals(before.get().getStatus())
                && Objects.equals(before.get().getReason(), after.get().getReason())) {
            return Optional.empty();
        }
        return Optional.of(new Notice("Warning", after.get().getReason(), after.get().getMessage()));
    }

    /**
     * A Warning when a condition took the reason {@code KeysRegenerated} (generated keys lost with their deleted
     * Secret were replaced): True, but something a user must act on.
     */
    public static Optional<Notice> keysRegenerated(Optional<Condition> before, Optional<Condition> after) {
        if (after.isEmpty() || !io.peerwarden.api.v1alpha1.Reasons.KEYS_REGENERATED.equals(after.get().getReason())
                || before.isPresent() && Objects.equals(before.get().getReason(), after.get().getReason())) {
            return Optional.empty();
        }
        return Optional.of(new Notice("Warning", after.get().getReason(), after.get().getMessage()));
    }

    /**
     * A peer's validity changed: a Warning for each new failure (as {@link #newFailure}), and a
     * Normal when it became valid again after having been something else (not on its first verdict).
     */
    public static Optional<Notice> validity(Optional<Condition> before, Optional<Condition> after) {
        if (after.isEmpty() || before.isPresent()
                && Objects.equals(before.get().getStatus(), after.get().getStatus())
                && Objects.equals(before.get().getReason(), after.get().getReason())) {
            return Optional.empty();
        }
        if (Conditions.FALSE.equals(after.get().getStatus())) {
            return Optional.of(new Notice("Warning", after.get().getReason(), after.get().getMessage()));
        }
        return before.map(b -> new Notice("Normal", after.get().getReason(), "The peer is valid again: " + after.get().getMessage()));
    }
}
