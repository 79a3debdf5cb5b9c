package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.PeerCounts;
import io.peerwarden.api.v1alpha1.PoolStatus;
import io.peerwarden.api.v1alpha1.VpnInstanceStatus;
import io.peerwarden.core.status.ConditionState;
import io.peerwarden.core.status.InstanceConditions;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the operator decided for an instance and all its peers in one pass. Deciding the whole
 * group at once, in one reconcile of the instance, is what makes collisions and allocation
 * deterministic and race-free although the operator reconciles many resources in parallel.
 *
 * @param usable      the instance can carry peers (valid spec, key, node, no pool overlap, allowed and unique on its node)
 * @param accepted    the Accepted condition: True when nothing but the key stands in the way
 * @param listenPort  the port decided on the node, or null when none is
 * @param problem     why it cannot, as the Ready condition shows it (null when usable)
 * @param endpoint    host:port clients dial, or null when none is known
 * @param keySecret   the instance key Secret to create, when the operator generates one
 * @param peers       the plans of the peers planned this time: every peer when {@code complete}, else those
 *                    a {@link PeerChanges#only} plan touched (the others' plans stand as they were)
 * @param complete    every peer of the instance was planned
 * @param allocations the addresses each peer holds after this plan, by peer UID: the caller records
 *                    them in its {@link AllocationLedger} ({@link AllocationLedger#recordAll}) before the next plan
 *                    with the same {@link PlanMemory} (that plan checks it did); after an incremental plan only the
 *                    re-planned peers' (the others' are unchanged)
 * @param nodeKeys    what the agent of the instance's node is given ({@link io.peerwarden.core.node.NodeKeys}): the
 *                    server key and the rendered peers' preshared keys by UID, base64 as stored; empty without a key.
 *                    Always the whole group's; after an incremental plan ({@code !complete}) a read-only view of the
 *                    {@link PlanMemory}'s entries (no copy of thousands of entries per change), so read it before the
 *                    next plan with the same memory
 * @param collisions  the peers of the whole group that lost an allowed-IP collision (also after an incremental plan)
 * @param nodeKeysChanged after an incremental plan, the {@code nodeKeys} entries it may have added, changed or removed
 *                    (those of the re-planned peers), so that publishing them costs O(changed); null after a complete
 *                    plan: any entry may have changed
 */
public record InstancePlan(boolean usable, ConditionState problem, ConditionState accepted, ConditionState keyReady,
                           String publicKey, String nodeName, String endpoint, String interfaceName, Integer listenPort,
                           List<PoolStatus> pools, DesiredSecret keySecret, List<PeerPlan> peers, boolean complete, int collisions,
                           Map<String, List<String>> allocations, Map<String, String> nodeKeys,
                           Set<String> nodeKeysChanged) {

    /** Keys are not for logs: only the number of node-key entries shows. */
    @Override
    public String toString() {
        return "InstancePlan[usable=" + usable + ", nodeName=" + nodeName + ", peers=" + peers.size()
                + ", nodeKeys=" + nodeKeys.size() + " entries]";
    }

    /**
     * Applies the operator-owned fields, the listen port decided for the node among them (the agent applies it and
     * reports the live one, which is the same); Applied and the implementation belong to the agent.
     */
    public VpnInstanceStatus applyTo(VpnInstanceStatus status, Long generation, PeerCounts counts, Clock clock) {
        status.setObservedGeneration(generation);
        status.setListenPort(listenPort);
        status.setPublicKey(publicKey);
        status.setNodeName(nodeName);
        status.setEndpoint(endpoint);
        status.setInterfaceName(interfaceName);
        status.setPool(pools == null || pools.isEmpty() ? null : pools);
        status.setPeers(counts);
        status.setConditions(InstanceConditions.apply(status.getConditions(), accepted, keyReady, usable ? null : problem,
                interfaceName, nodeName, generation, clock));
        return status;
    }
}
