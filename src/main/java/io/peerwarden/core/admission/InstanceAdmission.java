package io.peerwarden.core.admission;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.plan.InstancePlan;
import io.peerwarden.core.status.ConditionState;
import io.peerwarden.core.status.Conditions;

import java.util.Set;

/**
 * The admission webhook's answer for a VpnInstance, read off the {@code Accepted} condition of the plan the reconciler
 * would make for the same cache with the candidate in it. Refused: the spec's own mistakes, what the install policy
 * forbids in the spec, and an interface name, listen port or pool a senior instance on the same node holds (named).
 * Admitted: what can change without touching the instance (a node that does not exist yet or lacks the policy's labels).
 */
public final class InstanceAdmission {

    /** The Accepted reasons the webhook refuses with; any other outcome is admitted. */
    public static final Set<String> REFUSED = Set.of(
            Reasons.INVALID_ADDRESS, Reasons.INVALID_INTERFACE_NAME, Reasons.INVALID_LISTEN_PORT, Reasons.INVALID_ENDPOINT,
            Reasons.INVALID_PEER_NAMESPACES, Reasons.INVALID_ACCESS_RULE, Reasons.INTERFACE_NAME_NOT_ALLOWED,
            Reasons.LISTEN_PORT_NOT_ALLOWED, Reasons.POOL_OVERLAP, Reasons.INTERFACE_NAME_TAKEN, Reasons.LISTEN_PORT_TAKEN);

    private InstanceAdmission() {
    }

    public static PeerAdmission.Verdict decide(InstancePlan plan) {
        ConditionState accepted = plan.accepted();
        if (accepted != null && Conditions.FALSE.equals(accepted.status()) && REFUSED.contains(accepted.reason())) {
            return PeerAdmission.Verdict.refuse(accepted);
        }
        return PeerAdmission.Verdict.ALLOW;
    }
}
