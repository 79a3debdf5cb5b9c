package io.peerwarden.core.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.validation.Problem;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * What an instance's operator-owned conditions say: {@code Accepted}, {@code KeyReady} and the
 * summarising {@code Ready}, which joins the operator's verdict (Accepted: spec, policy, node,
 * pools, name and port; the key) with the agent's {@code Applied}.
 */
public final class InstanceConditions {

    private InstanceConditions() {
    }

    public static ConditionState keyReady(String reason, String message) {
        return ConditionState.isTrue(ConditionTypes.KEY_READY, reason, message);
    }

    public static ConditionState keyProblem(String reason, String message) {
        return ConditionState.isFalse(ConditionTypes.KEY_READY, reason, message);
    }

    /**
     * Accepted: the operator accepts the instance for its node: its spec is valid, the install policy allows it
     * and its interface name and listen port are its own on the node. False names the first problem's reason
     * (e.g. {@code InterfaceNameTaken}, {@code SubnetNotAllowed} is a peer's, never here). The node agent applies
     * only an instance Accepted for its current generation.
     */
    public static ConditionState accepted(List<Problem> problems) {
        if (!problems.isEmpty()) {
            return ConditionState.failed(ConditionTypes.ACCEPTED, problems);
        }
        return ConditionState.isTrue(ConditionTypes.ACCEPTED, Reasons.ACCEPTED,
                "The spec is valid, allowed by the install policy, and its interface name and listen port are free on the node.");
    }

    /** Whether the instance's status says the operator accepted its current generation (what the agent applies). */
    public static boolean acceptedForGeneration(Long generation, Long observedGeneration, List<Condition> conditions) {
        return generation != null && generation.equals(observedGeneration) && Conditions.isTrue(conditions, ConditionTypes.ACCEPTED);
    }

    /** Why the instance cannot carry peers, as Ready shows it; empty when it can. */
    public static Optional<ConditionState> notUsable(List<Problem> problems, ConditionState keyReady) {
        if (!problems.isEmpty()) {
            return Optional.of(ConditionState.failed(ConditionTypes.READY, problems));
        }
        if (!Conditions.TRUE.equals(keyReady.status())) {
            return Optional.of(ConditionState.isFalse(ConditionTypes.READY, keyReady.reason(), keyReady.message()));
        }
        return Optional.empty();
    }

    /**
     * Writes Accepted, KeyReady, a waiting Applied while the agent has not reported one, and Ready (which needs
     * Accepted: {@code problem} is set whenever Accepted is False).
     *
     * @param problem why the instance cannot carry peers, or null when it can
     */
    public static List<Condition> apply(List<Condition> conditions, ConditionState accepted, ConditionState keyReady,
                                        ConditionState problem, String interfaceName, String nodeName, Long generation, Clock clock) {
        conditions = Conditions.with(conditions, accepted, generation, clock);
        conditions = Conditions.with(conditions, keyReady, generation, clock);
        Optional<Condition> applied = Conditions.find(conditions, ConditionTypes.APPLIED);
        if (applied.isEmpty()) {
            conditions = Conditions.with(conditions, waiting(ConditionTypes.APPLIED, nodeName), generation, clock);
            applied = Conditions.find(conditions, ConditionTypes.APPLIED);
        }
        return Conditions.with(conditions, ready(problem, applied.get(), interfaceName, nodeName), generation, clock);
    }

    private static ConditionState ready(ConditionState problem, Condition applied, String interfaceName, String nodeName) {
        if (problem != null) {
            return problem;
        }
        if (Conditions.TRUE.equals(applied.getStatus())) {
            return ConditionState.isTrue(ConditionTypes.READY, Reasons.READY,
                    "The interface " + interfaceName + " is up on node " + nodeName + ".");
        }
        if (Conditions.FALSE.equals(applied.getStatus())) {
            return ConditionState.isFalse(ConditionTypes.READY, applied.getReason(), "Applied: " + applied.getMessage());
        }
        return waiting(ConditionTypes.READY, nodeName);
    }

    private static ConditionState waiting(String type, String nodeName) {
        return ConditionState.isUnknown(type, Reasons.WAITING_FOR_AGENT, "Waiting for the node agent on "
                + (nodeName == null ? "the instance's node" : "node " + nodeName) + " to apply the interface.");
    }
}
