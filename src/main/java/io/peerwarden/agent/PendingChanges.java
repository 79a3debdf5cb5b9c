package io.peerwarden.agent;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the informers reported since the agent's last pass: which peers of which instance changed, which instances
 * changed as a whole, or that everything must be looked at again (start, a node-keys Secret added or removed). Informer
 * threads record, the agent's loop takes it all at the start of a pass. Each method returns whether a pass is due.
 */
final class PendingChanges {

    record Taken(boolean all, Set<String> instances, Map<String, Set<String>> peers) {
    }

    private boolean all = true;
    private Set<String> instances = new HashSet<>();
    private Map<String, Set<String>> peers = new HashMap<>();

    synchronized boolean all() {
        all = true;
        return true;
    }

    synchronized boolean instance(String instanceKey) {
        instances.add(instanceKey);
        return true;
    }

    /** @param instanceKey namespace/name of the peer's instance; null (no instanceRef): nothing to do */
    synchronized boolean peer(String instanceKey, String peerKey) {
        if (instanceKey == null) {
            return false;
        }
        peers.computeIfAbsent(instanceKey, k -> new HashSet<>()).add(peerKey);
        return true;
    }

    synchronized Taken take() {
        Taken taken = new Taken(all, instances, peers);
        all = false;
        instances = new HashSet<>();
        peers = new HashMap<>();
        return taken;
    }
}
