package io.peerwarden.agent;

import io.fabric8.kubernetes.api.model.Condition;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.wg.WgPeer;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per peer, a fingerprint of what the agent last wrote into its status (the fields it owns: Applied, Connected,
 * handshake, endpoint, bytes), so a status pass compares each new observation with it and builds a status (a deep copy
 * and a patch) only for the peers whose fields changed. The cached status is checked too, cheaply, so a write by
 * someone else that changed the agent's fields (or a status not written yet) is not mistaken for "unchanged".
 * Thread-safe: status writers remember concurrently.
 */
public final class StatusMemory {

    /** What the agent's fields were computed from. */
    record Fingerprint(long generation, String appliedStatus, String appliedReason, String appliedMessage, boolean connected,
                       String endpoint, long latestHandshake, long receiveBytes, long sentBytes) {

        boolean sameVerdict(Fingerprint other) {
            return generation == other.generation && connected == other.connected && appliedStatus.equals(other.appliedStatus)
                    && Objects.equals(appliedReason, other.appliedReason) && Objects.equals(appliedMessage, other.appliedMessage);
        }

        boolean sameCounters(Fingerprint other) {
            return latestHandshake == other.latestHandshake && receiveBytes == other.receiveBytes && sentBytes == other.sentBytes
                    && Objects.equals(endpoint, other.endpoint);
        }
    }

    private final Map<String, Fingerprint> written = new ConcurrentHashMap<>();

    static Fingerprint of(long generation, PeerObservation seen, Instant now) {
        WgPeer live = seen.live();
        boolean connected = live != null && live.latestHandshake() > 0
                && Duration.between(Instant.ofEpochSecond(live.latestHandshake()), now).compareTo(StatusMutations.CONNECTED_WITHIN) < 0;
        return new Fingerprint(generation, seen.appliedStatus(), seen.appliedReason(), seen.appliedMessage(), connected,
                live == null ? null : live.endpoint(), live == null ? 0 : live.latestHandshake(),
                live == null ? 0 : live.receiveBytes(), live == null ? 0 : live.sentBytes());
    }

    /**
     * Whether writing this observation would change nothing the agent owns: the same verdict as last written (and, when
     * counters are refreshed, the same counters), and the cached status still shows it.
     */
    public boolean unchanged(VpnPeer peer, long generation, PeerObservation seen, boolean refreshCounters, Instant now) {
        Fingerprint last = written.get(peer.getMetadata().getUid());
        if (last == null || seen.countersReset()) {
            return false;
        }
        Fingerprint current = of(generation, seen, now);
        if (!last.sameVerdict(current) || (refreshCounters && !last.sameCounters(current))) {
            return false;
        }
        VpnPeerStatus status = peer.getStatus();
        if (status == null || !Objects.equals(status.getConnected(), current.connected())) {
            return false;
        }
        if (status.getConditions() == null) {
            return false;
        }
        for (Condition applied : status.getConditions()) {
            if (ConditionTypes.APPLIED.equals(applied.getType())) {
                return current.appliedStatus().equals(applied.getStatus()) && Objects.equals(current.appliedReason(), applied.getReason())
                        && applied.getObservedGeneration() != null && applied.getObservedGeneration() == generation;
            }
        }
        return false;
    }

    /** The observation is now what the peer's status shows (written, or found already there). */
    public void remember(VpnPeer peer, long generation, PeerObservation seen, boolean refreshCounters, Instant now) {
        Fingerprint current = of(generation, seen, now);
        if (!refreshCounters) {
            // the counters were not written: keep those that were (none yet: the next refresh writes them)
            Fingerprint last = written.get(peer.getMetadata().getUid());
            current = new Fingerprint(generation, current.appliedStatus(), current.appliedReason(), current.appliedMessage(),
                    current.connected(), last == null ? null : last.endpoint(), last == null ? -1 : last.latestHandshake(),
                    last == null ? -1 : last.receiveBytes(), last == null ? -1 : last.sentBytes());
        }
        written.put(peer.getMetadata().getUid(), current);
    }

    public void forget(String uid) {
        if (uid != null) {
            written.remove(uid);
        }
    }
}
