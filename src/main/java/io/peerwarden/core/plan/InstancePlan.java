package io.peerwarden.core.plan;

import io.fabric8.kubernetes.api.model.Condition;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.PeerCounts;
import io.peerwarden.api.v1alpha1.PoolStatus;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstanceStatus;
import io.peerwarden.core.status.Conditions;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * What the operator decided for an instance and all its peers in one pass. Deciding the whole
 * group at once, in one reconcile of the instance, is what makes collisions and allocation
 * deterministic and race-free although the operator reconciles many resources in parallel.
 *
 * @param usable    the instance can carry peers (valid spec, key, node, no pool overlap)
 * @param problem   why it cannot, as the Ready condition shows it (null when usable)
 * @param keySecret the instance key Secret to create, when the operator generates one
 */
public record InstancePlan(boolean usable, ConditionState problem, ConditionState keyReady, String publicKey,
                           String nodeName, String interfaceName, List<PoolStatus> pools, DesiredSecret keySecret,
                           List<PeerPlan> peers, int collisions) {

    /** Applies the operator-owned fields; Applied, implementation and the live listen port belong to the agent. */
    public VpnInstanceStatus applyTo(VpnInstanceStatus status, Long generation, PeerCounts counts, Clock clock) {
        status.setObservedGeneration(generation);
        status.setPublicKey(publicKey);
        status.setNodeName(nodeName);
        status.setInterfaceName(interfaceName);
        status.setPool(pools == null || pools.isEmpty() ? null : pools);
        status.setPeers(counts);
        List<Condition> conditions = status.getConditions();
        conditions = Conditions.with(conditions, keyReady.type(), keyReady.status(), keyReady.reason(), keyReady.message(),
                generation, clock);
        Optional<Condition> applied = Conditions.find(conditions, ConditionTypes.APPLIED);
        if (applied.isEmpty()) {
            conditions = Conditions.with(conditions, ConditionTypes.APPLIED, Conditions.UNKNOWN, Reasons.WAITING_FOR_AGENT,
                    waitingMessage(), generation, clock);
            applied = Conditions.find(conditions, ConditionTypes.APPLIED);
        }
        ConditionState ready;
        if (!usable) {
            ready = problem;
        } else if (Conditions.TRUE.equals(applied.get().getStatus())) {
            ready = new ConditionState(ConditionTypes.READY, Conditions.TRUE, Reasons.READY,
                    "The interface " + interfaceName + " is up on node " + nodeName + ".");
        } else if (Conditions.FALSE.equals(applied.get().getStatus())) {
            ready = new ConditionState(ConditionTypes.READY, Conditions.FALSE, applied.get().getReason(),
                    "Applied: " + applied.get().getMessage());
        } else {
            ready = new ConditionState(ConditionTypes.READY, Conditions.UNKNOWN, Reasons.WAITING_FOR_AGENT, waitingMessage());
        }
        conditions = Conditions.with(conditions, ConditionTypes.READY, ready.status(), ready.reason(), ready.message(),
                generation, clock);
        status.setConditions(conditions);
        return status;
    }

    private String waitingMessage() {
        return "Waiting for the node agent on " + (nodeName == null ? "the instance's node" : "node " + nodeName)
                + " to apply the interface.";
    }
}
