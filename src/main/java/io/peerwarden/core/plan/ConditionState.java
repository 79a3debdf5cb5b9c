package io.peerwarden.core.plan;

/** A condition as the planner decides it; the clock and the generation are applied when it is written. */
public record ConditionState(String type, String status, String reason, String message) {
}
