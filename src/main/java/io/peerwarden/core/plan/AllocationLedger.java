package io.peerwarden.core.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The addresses this operator process decided, by peer UID. Informer caches have no
 * read-after-write guarantee: right after an allocation is written to a peer's status and Secret,
 * the next reconcile may still read the old copies. The ledger is consulted first, so an address
 * once handed out is never handed out again by this process. After a restart the ledger is empty
 * and the freshly listed caches hold every earlier write (status and the Secret's annotation).
 */
public final class AllocationLedger {

    private final Map<String, List<String>> byPeerUid = new ConcurrentHashMap<>();

    public Optional<List<String>> get(String peerUid) {
        return peerUid == null ? Optional.empty() : Optional.ofNullable(byPeerUid.get(peerUid));
    }

    /** A peer without a UID (never from a real API server) is simply not remembered. */
    public void record(String peerUid, List<String> allowedIPs) {
        if (peerUid != null) {
            byPeerUid.put(peerUid, List.copyOf(allowedIPs));
        }
    }

    /** Records what a plan decided ({@link InstancePlan#allocations()}). */
    public void recordAll(Map<String, List<String>> allowedIPsByPeerUid) {
        allowedIPsByPeerUid.forEach(this::record);
    }

    /** Forgets peers that no longer exist, so a deleted peer's address becomes free again. */
    public void retainOnly(Set<String> existingPeerUids) {
        byPeerUid.keySet().retainAll(existingPeerUids);
    }

    public void forget(String peerUid) {
        byPeerUid.remove(peerUid);
    }
}
