package io.peerwarden.core.status;

import io.peerwarden.core.text.SafeText;
import io.peerwarden.core.validation.Problem;

import java.util.List;
import java.util.stream.Collectors;

/** A condition as the core decides it; the clock and the generation are applied when it is written. */
public record ConditionState(String type, String status, String reason, String message) {

    /** The message as every condition carries it: control characters escaped, bounded ({@link SafeText#message}). */
    public ConditionState {
        message = SafeText.message(message);
    }

    public static ConditionState isTrue(String type, String reason, String message) {
        return new ConditionState(type, Conditions.TRUE, reason, message);
    }

    public static ConditionState isFalse(String type, String reason, String message) {
        return new ConditionState(type, Conditions.FALSE, reason, message);
    }

    public static ConditionState isUnknown(String type, String reason, String message) {
        return new ConditionState(type, Conditions.UNKNOWN, reason, message);
    }

    /** False with the first problem's reason and all their (distinct) messages, bounded in length. */
    public static ConditionState failed(String type, List<Problem> problems) {
        return isFalse(type, problems.get(0).reason(), joinMessages(problems));
    }

    static String joinMessages(List<Problem> problems) {
        return SafeText.message(problems.stream().map(Problem::message).distinct().collect(Collectors.joining(" ")));
    }
}
