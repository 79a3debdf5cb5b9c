package io.peerwarden.core.admission;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.plan.InstancePlan;
import io.peerwarden.core.plan.PeerPlan;
import io.peerwarden.core.plan.Seniority;
import io.peerwarden.core.status.ConditionState;
import io.peerwarden.core.status.Conditions;

import java.util.Optional;
import java.util.Set;

/**
 * The admission webhook's answer for a VpnPeer, read off the plan the reconciler would make for the same cache with
 * the candidate in it ({@link io.peerwarden.core.plan.InstancePlanner}): there is no second copy of any rule here.
 *
 * <p>It refuses only when the candidate's own {@code Valid} would be False for a reason that is the user's mistake in
 * the object itself (a taken allowed IP naming its holder, a key mismatch, a bad field, a namespace or subnet the
 * policy forbids, a taken public key). Everything that can still change without touching the peer (a referenced
 * Secret not created yet, an instance not ready or not found, an internal error) is admitted: the webhook never
 * refuses what the reconciler would accept, and the condition stays the source of truth.
 */
public final class PeerAdmission {

    /** The Valid reasons the webhook refuses with; any other outcome is admitted. */
    public static final Set<String> REFUSED = Set.of(
            Reasons.ALLOWED_IP_TAKEN, Reasons.INVALID_ALLOWED_IPS, Reasons.INVALID_SUBNETS, Reasons.FIELD_NOT_APPLICABLE,
            Reasons.INVALID_ENDPOINT_ALLOWED_IPS, Reasons.INVALID_DNS, Reasons.INVALID_MTU, Reasons.INVALID_KEEPALIVE,
            Reasons.INVALID_ENDPOINT, Reasons.INVALID_KEY, Reasons.KEY_MISMATCH, Reasons.UNSUPPORTED_PROTOCOL,
            Reasons.INVALID_TYPE, Reasons.INVALID_DISPLAY_NAME, Reasons.INVALID_USER_ID, Reasons.INVALID_SITE_ID,
            Reasons.PUBLIC_KEY_TAKEN, Reasons.NOT_ALLOWED, Reasons.SUBNET_NOT_ALLOWED, Reasons.INVALID_ACCESS_RULE);

    private PeerAdmission() {
    }

    /** The answer: allowed, or refused with the condition's reason and message. */
    public record Verdict(boolean allowed, String reason, String message) {

        public static final Verdict ALLOW = new Verdict(true, null, null);

        public static Verdict refuse(ConditionState valid) {
            return new Verdict(false, valid.reason(), valid.message());
        }
    }

    /**
     * @param plan the plan of the candidate's instance made with the candidate in place of its cached copy, or empty
     *             when the instance is not in the cache (the orphan path decides later; nothing is refused)
     */
    public static Verdict decide(VpnPeer candidate, Optional<InstancePlan> plan) {
        if (plan.isEmpty()) {
            return Verdict.ALLOW;
        }
        String key = Seniority.key(candidate);
        return plan.get().peers().stream()
                .filter(p -> Seniority.key(p.peer()).equals(key))
                .findFirst()
                .flatMap(PeerAdmission::valid)
                .filter(valid -> Conditions.FALSE.equals(valid.status()) && REFUSED.contains(valid.reason()))
                .map(Verdict::refuse)
                .orElse(Verdict.ALLOW);
    }

    private static Optional<ConditionState> valid(PeerPlan plan) {
        return plan.conditions().stream().filter(c -> ConditionTypes.VALID.equals(c.type())).findFirst();
    }
}
