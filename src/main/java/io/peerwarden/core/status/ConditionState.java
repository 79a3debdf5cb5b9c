package io.peerwarden.core.status;

import io.peerwarden.core.validation.Problem;

import java.util.List;
import java.util.stream.Collectors;

/** A condition as the core decides it; the clock and the generation are applied when it is written. */
public record ConditionState(String type, String status, String reason, String message) {

    private static final int MAX_MESSAGE = 1000;

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
        String joined = problems.stream().map(Problem::message).distinct().collect(Collectors.joining(" "));
        return joined.length() <= MAX_MESSAGE ? joined : joined.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
