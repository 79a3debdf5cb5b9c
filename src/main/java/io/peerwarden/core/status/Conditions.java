package io.peerwarden.core.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.peerwarden.core.text.SafeText;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Standard Kubernetes conditions kept the way kstatus, Argo CD and {@code kubectl wait} expect:
 * one entry per type, {@code lastTransitionTime} moving only when {@code status} flips, so that
 * re-stating an unchanged condition leaves the list equal and no status write follows.
 */
public final class Conditions {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private Conditions() {
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }

    /**
     * Returns a new list where the condition of the given type carries the given status, reason,
     * message and generation. The transition time is kept when the status did not change.
     */
    public static List<Condition> with(List<Condition> conditions, String type, String status, String reason,
                                       String message, Long observedGeneration, Clock clock) {
        List<Condition> result = new ArrayList<>();
        boolean replaced = false;
        if (conditions != null) {
            for (Condition existing : conditions) {
                if (type.equals(existing.getType())) {
                    result.add(build(existing, type, status, reason, message, observedGeneration, clock));
                    replaced = true;
                } else {
                    result.add(existing);
                }
            }
        }
        if (!replaced) {
            result.add(build(null, type, status, reason, message, observedGeneration, clock));
        }
        return result;
    }

    /** {@link #with(List, String, String, String, String, Long, Clock)} for a decided condition. */
    public static List<Condition> with(List<Condition> conditions, ConditionState state, Long observedGeneration, Clock clock) {
        return with(conditions, state.type(), state.status(), state.reason(), state.message(), observedGeneration, clock);
    }

    /** Whether the condition's status differs between two lists (a missing condition counts as no status). */
    public static boolean statusDiffers(List<Condition> now, List<Condition> before, String type) {
        return !Objects.equals(find(now, type).map(Condition::getStatus), find(before, type).map(Condition::getStatus));
    }

    private static Condition build(Condition previous, String type, String status, String reason, String message,
                                   Long observedGeneration, Clock clock) {
        String transition = previous != null && Objects.equals(previous.getStatus(), status)
                && previous.getLastTransitionTime() != null
                ? previous.getLastTransitionTime()
                : timestamp(clock.instant());
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(SafeText.message(message))
                .withObservedGeneration(observedGeneration)
                .withLastTransitionTime(transition)
                .build();
    }

    /** RFC 3339 with second precision, the form the API server stores. */
    public static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
