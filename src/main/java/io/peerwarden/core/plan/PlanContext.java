package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.core.net.AddressPool;
import io.peerwarden.core.status.ConditionState;

import java.util.List;

/**
 * What the instance-level decisions fixed, as the peer steps of one plan read it.
 *
 * @param problem  why the instance cannot carry peers (null when it can)
 * @param nodeName the node the instance runs on, or null when none is known
 * @param endpoint host:port clients dial (spec.endpoint or derived from the node), or null when none is known
 */
record PlanContext(VpnInstance instance, VpnInstanceSpec spec, List<AddressPool> pools, String serverPublicKey,
                   ConditionState problem, String nodeName, String endpoint, SecretLookup secrets, AllocationLedger ledger) {

    boolean usable() {
        return problem == null;
    }

    String instanceName() {
        return instance.getMetadata().getName();
    }
}
