package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.status.ConditionState;
import io.peerwarden.core.status.PeerConditions;

import java.time.Clock;
import java.util.List;

/**
 * What the operator decided for one peer: the operator-owned part of its status and the config
 * Secret to write (null: leave the Secret as it is, e.g. while the peer is not valid, so no key
 * is ever lost to a passing mistake).
 */
public record PeerPlan(VpnPeer peer, boolean valid, List<String> allowedIPs, String publicKey, String configSecretName,
                       List<ConditionState> conditions, DesiredSecret secret, String nodeName) {

    /** Applies the operator-owned fields to a copy of the current status; the agent's fields are left alone. */
    public VpnPeerStatus applyTo(VpnPeerStatus status, Clock clock) {
        Long generation = peer.getMetadata().getGeneration();
        status.setObservedGeneration(generation);
        if (allowedIPs != null) {
            status.setAllowedIPs(allowedIPs.isEmpty() ? null : allowedIPs);
        }
        if (publicKey != null) {
            status.setPublicKey(publicKey);
        }
        if (configSecretName != null) {
            status.setConfigSecretName(configSecretName);
        }
        status.setConditions(PeerConditions.apply(status.getConditions(), conditions, PeerConditions.agentOn(nodeName),
                generation, clock));
        return status;
    }
}
