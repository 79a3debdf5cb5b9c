package io.peerwarden.agent;

import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.node.DesiredInterface;
import io.peerwarden.core.node.InterfacePlan;
import io.peerwarden.core.node.PeerDisposition;
import io.peerwarden.core.node.PeerMemory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the agent keeps of each instance between passes (loop thread only): its peers as last planned and what the
 * last full pass found, so a peer's event or a status pass needs no re-plan of the instance. No memory: a full pass.
 */
final class InstanceMemories {

    /** One instance's memory. */
    record Memory(PeerMemory peers, DesiredInterface desired, boolean complete, boolean routeConflicts, Set<String> limitedPeers) {

        /** The interface plan as the memory has it now, for the given peers (by name, as {@code DesiredState.plan} keys them). */
        InterfacePlan plan(String iface, List<VpnPeer> of) {
            Map<String, PeerDisposition> dispositions = new HashMap<>();
            for (VpnPeer peer : of) {
                PeerMemory.Entry entry = peers.get(PeerMemory.peerKey(peer));
                if (entry != null) {
                    dispositions.put(peer.getMetadata().getName(), entry.disposition());
                }
            }
            return new InterfacePlan(iface, desired, null, null, dispositions);
        }
    }

    private final Map<String, Memory> byInstance = new HashMap<>();

    Memory get(String instanceKey) {
        return byInstance.get(instanceKey);
    }

    void put(String instanceKey, Memory memory) {
        byInstance.put(instanceKey, memory);
    }

    void forget(String instanceKey) {
        byInstance.remove(instanceKey);
    }

    /** Forgets the instances that no longer exist. */
    void retainOnly(Predicate<String> exists) {
        byInstance.keySet().removeIf(k -> !exists.test(k));
    }
}
