package io.peerwarden.core.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Computes a peer's summarising {@code Ready} condition from the parts: Valid ∧ AddressAssigned ∧
 * ConfigRendered ∧ Applied. Both writers of a peer's status (operator and agent) call it after
 * changing their own conditions, so whoever writes last leaves a Ready consistent with the rest.
 * {@code Connected} is information only: an offline laptop is still a ready peer.
 */
public final class PeerReadiness {

    private static final List<String> PARTS = Stream.concat(PeerConditions.OPERATOR_OWNED.stream(),
            Stream.of(ConditionTypes.APPLIED)).toList();

    private PeerReadiness() {
    }

    private static boolean isStale(Condition condition, Long generation) {
        return generation != null && condition.getObservedGeneration() != null && condition.getObservedGeneration() < generation;
    }

    public static List<Condition> withReady(List<Condition> conditions, Long observedGeneration, Clock clock) {
        for (String part : PARTS) {
            Optional<Condition> condition = Conditions.find(conditions, part);
            if (condition.isEmpty() || !Conditions.TRUE.equals(condition.get().getStatus())) {
                String status = condition.map(c -> Conditions.FALSE.equals(c.getStatus()) ? Conditions.FALSE : Conditions.UNKNOWN)
                        .orElse(Conditions.UNKNOWN);
                String reason = condition.map(Condition::getReason).orElse(Reasons.WAITING_FOR_AGENT);
                String message = condition.map(c -> part + ": " + c.getMessage())
                        .orElse(part + " has not been reported yet.");
                return Conditions.with(conditions, ConditionTypes.READY, status, reason, message, observedGeneration, clock);
            }
            if (isStale(condition.get(), observedGeneration)) {
                // the agent's True is about an older spec: kubectl wait must not pass before it applied this one
                return Conditions.with(conditions, ConditionTypes.READY, Conditions.UNKNOWN, Reasons.WAITING_FOR_AGENT,
                        part + ": waiting for the node agent to apply generation " + observedGeneration
                                + " (it last reported generation " + condition.get().getObservedGeneration() + ").",
                        observedGeneration, clock);
            }
        }
        return Conditions.with(conditions, ConditionTypes.READY, Conditions.TRUE, Reasons.READY,
                "The peer's config is rendered and the server interface has the peer.", observedGeneration, clock);
    }
}
