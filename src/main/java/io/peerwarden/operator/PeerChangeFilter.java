package io.peerwarden.operator;

import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.status.PeerConditions;

import java.util.Objects;

/**
 * Which peer updates should wake the instance reconcile. The agent refreshes each peer's traffic
 * counters and handshake time on an interval; with thousands of peers, letting each of those
 * writes re-plan the whole instance would keep a core busy for nothing. An update matters when it
 * changes the spec (generation), deletion, anything the operator owns in the status (so a wiped
 * status is rewritten), or what the instance counts (Ready, connected).
 */
final class PeerChangeFilter implements OnUpdateFilter<VpnPeer> {

    @Override
    public boolean accept(VpnPeer newPeer, VpnPeer oldPeer) {
        if (!Objects.equals(newPeer.getMetadata().getGeneration(), oldPeer.getMetadata().getGeneration())
                || !Objects.equals(newPeer.getMetadata().getDeletionTimestamp(), oldPeer.getMetadata().getDeletionTimestamp())) {
            return true;
        }
        VpnPeerStatus now = newPeer.getStatus() == null ? new VpnPeerStatus() : newPeer.getStatus();
        VpnPeerStatus before = oldPeer.getStatus() == null ? new VpnPeerStatus() : oldPeer.getStatus();
        if (!Objects.equals(now.getObservedGeneration(), before.getObservedGeneration())
                || !Objects.equals(now.getAllowedIPs(), before.getAllowedIPs())
                || !Objects.equals(now.getPublicKey(), before.getPublicKey())
                || !Objects.equals(now.getConfigSecretName(), before.getConfigSecretName())
                || !Objects.equals(now.getConnected(), before.getConnected())
                || Conditions.statusDiffers(now.getConditions(), before.getConditions(), ConditionTypes.READY)
                || Conditions.find(now.getConditions(), ConditionTypes.APPLIED).isPresent()
                != Conditions.find(before.getConditions(), ConditionTypes.APPLIED).isPresent()) {
            return true;
        }
        for (String type : PeerConditions.OPERATOR_OWNED) {
            if (!Objects.equals(Conditions.find(now.getConditions(), type), Conditions.find(before.getConditions(), type))) {
                return true;
            }
        }
        return false;
    }
}
