package io.peerwarden.agent;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.node.InterfacePlan;
import io.peerwarden.core.node.PeerDisposition;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.WgPeer;

import java.util.Set;

/** The agent's verdict on one peer (its Applied condition and what the interface shows of it) after a pass. */
public final class PeerVerdicts {

    private PeerVerdicts() {
    }

    /** The verdict on one peer, or null when the agent leaves its status alone (pending, or interface unreadable). */
    public static PeerObservation observe(PeerDisposition plan, InterfacePlan instancePlan, ApplyResult result, Set<String> resets) {
        switch (plan.kind()) {
            case PENDING:
                return null;
            case RESTRICTED:
                return new PeerObservation(Conditions.FALSE, Reasons.RESTRICTED, plan.message(), null, false);
            case NOT_VALID:
                return new PeerObservation(Conditions.FALSE, Reasons.NOT_VALID, plan.message(), null, false);
            case KEY_INVALID:
                return new PeerObservation(Conditions.FALSE, Reasons.INVALID_KEY, plan.message(), null, false);
            default:
                break;
        }
        if (result == null) {
            return new PeerObservation(Conditions.FALSE, Reasons.INTERFACE_FAILED, instancePlan.problem(), null, false);
        }
        String key = plan.config().publicKey();
        WgPeer live = result.live() == null ? null : result.live().peers().get(key);
        boolean reset = resets.contains(key);
        if (!result.interfaceOk()) {
            return new PeerObservation(Conditions.FALSE, result.interfaceReason(),
                    "The server interface " + instancePlan.interfaceName() + " could not be configured: " + result.interfaceError(), live, reset);
        }
        String error = result.peerErrors().get(key);
        if (error != null) {
            return new PeerObservation(Conditions.FALSE, Reasons.WG_SET_FAILED, error, live, reset);
        }
        String conflict = result.routeConflicts().get(key);
        if (conflict != null) {
            return new PeerObservation(Conditions.FALSE, Reasons.ROUTE_CONFLICT, conflict, live, reset);
        }
        if (live == null || result.notShown().contains(key)) {
            return new PeerObservation(Conditions.FALSE, Reasons.WG_SET_FAILED,
                    "The interface " + instancePlan.interfaceName() + " does not show the peer as configured after wg set.", live, reset);
        }
        return new PeerObservation(Conditions.TRUE, Reasons.APPLIED,
                "The server interface " + instancePlan.interfaceName() + " has the peer.", live, reset);
    }
}
