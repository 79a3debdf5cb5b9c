package io.peerwarden.operator;

import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.core.status.Conditions;

import java.util.Objects;

/**
 * Which updates of a VpnInstance start a reconcile. Generation-aware filtering would drop the
 * agent's Applied verdict (a status-only change) that the Ready summary depends on; plain
 * "every update" would let the operator's own status write (new peer counts) trigger another full
 * plan of the group. So: spec (generation), deletion, the agent's Applied, a wiped status.
 */
final class InstanceChangeFilter implements OnUpdateFilter<VpnInstance> {

    @Override
    public boolean accept(VpnInstance newInstance, VpnInstance oldInstance) {
        return !Objects.equals(newInstance.getMetadata().getGeneration(), oldInstance.getMetadata().getGeneration())
                || !Objects.equals(newInstance.getMetadata().getDeletionTimestamp(), oldInstance.getMetadata().getDeletionTimestamp())
                || newInstance.getStatus() == null
                || newInstance.getStatus().getPublicKey() == null
                || !Objects.equals(applied(newInstance), applied(oldInstance));
    }

    private static Object applied(VpnInstance instance) {
        return instance.getStatus() == null ? null
                : Conditions.find(instance.getStatus().getConditions(), ConditionTypes.APPLIED)
                .map(c -> c.getStatus() + "/" + c.getReason() + "/" + c.getMessage()).orElse(null);
    }
}
