package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.status.Conditions;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which peer updates should wake the instance reconcile. The agent refreshes each peer's traffic
 * counters and handshake time on an interval; with thousands of peers, letting each of those
 * writes re-plan the whole instance would keep a core busy for nothing. An update matters when it
 * changes the spec (generation), deletion, anything the operator owns in the status (so a wiped
 * status is rewritten), or what the instance counts (Ready, connected).
 */
final class PeerChangeFilter implements OnUpdateFilter<VpnPeer> {

    private static final List<String> OPERATOR_CONDITIONS = List.of(
            ConditionTypes.VALID, ConditionTypes.ADDRESS_ASSIGNED, ConditionTypes.CONFIG_RENDERED);

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
                || !Objects.equals(status(now, ConditionTypes.READY), status(before, ConditionTypes.READY))
                || Conditions.find(now.getConditions(), ConditionTypes.APPLIED).isPresent()
                != Conditions.find(before.getConditions(), ConditionTypes.APPLIED).isPresent()) {
            return true;
        }
        for (String type : OPERATOR_CONDITIONS) {
            if (!Objects.equals(Conditions.find(now.getConditions(), type), Conditions.find(before.getConditions(), type))) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> status(VpnPeerStatus status, String type) {
        return Conditions.find(status.getConditions(), type).map(Condition::getStatus);
    }
}
