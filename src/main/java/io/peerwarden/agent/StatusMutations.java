package io.peerwarden.agent;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.Transfer;
import io.peerwarden.api.v1alpha1.VpnInstanceStatus;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.status.PeerReadiness;
import io.peerwarden.core.wg.WgPeer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The agent's part of the status, as pure functions of (status, observation, clock): they change only the fields
 * the agent owns and return the status equal to the input when nothing changed, so no write follows.
 */
public final class StatusMutations {

    /** A handshake younger than this means connected (WireGuard re-keys every 2 minutes while traffic flows). */
    public static final Duration CONNECTED_WITHIN = Duration.ofSeconds(180);

    private StatusMutations() {
    }

    /**
     * @param generation      metadata.generation of the peer the verdict is about
     * @param refreshCounters whether this pass refreshes the counters (transfer, latestHandshake, connectedFrom)
     */
    public static VpnPeerStatus peer(VpnPeerStatus status, long generation, PeerObservation seen, Clock clock,
                                     boolean refreshCounters) {
        WgPeer live = seen.live();
        Instant now = clock.instant();
        boolean connected = live != null && live.latestHandshake() > 0
                && Duration.between(Instant.ofEpochSecond(live.latestHandshake()), now).compareTo(CONNECTED_WITHIN) < 0;
        boolean flipped = !Objects.equals(status.getConnected(), connected);
        status.setConnected(connected);
        // a roaming or NAT-rebinding peer changes its endpoint often: refreshed with the counters, not on every change
        if (live != null && live.endpoint() != null
                && (refreshCounters || flipped || status.getConnectedFrom() == null)) {
            status.setConnectedFrom(live.endpoint());
        }
        if (live != null && live.latestHandshake() > 0
                && (refreshCounters || flipped || status.getLatestHandshake() == null)) {
            status.setLatestHandshake(Conditions.timestamp(Instant.ofEpochSecond(live.latestHandshake())));
        }
        if (live != null && refreshCounters) {
            status.setTransfer(accumulate(status.getTransfer(), live.receiveBytes(), live.sentBytes(), seen.countersReset()));
        }
        var conditions = Conditions.with(status.getConditions(), ConditionTypes.APPLIED, seen.appliedStatus(),
                seen.appliedReason(), seen.appliedMessage(), generation, clock);
        conditions = connected
                ? Conditions.with(conditions, ConditionTypes.CONNECTED, Conditions.TRUE, Reasons.HANDSHAKE_RECENT,
                "The peer completed a handshake within the last 3 minutes.", generation, clock)
                : Conditions.with(conditions, ConditionTypes.CONNECTED, Conditions.FALSE, Reasons.NO_RECENT_HANDSHAKE,
                "No handshake with the peer in the last 3 minutes.", generation, clock);
        status.setConditions(PeerReadiness.withReady(conditions, status.getObservedGeneration(), clock));
        return status;
    }

    /**
     * Cumulative counters over interface restarts: a reading below the last one (or a known reset) starts a new
     * session whose bytes are added in full; otherwise only the growth is added.
     */
    static Transfer accumulate(Transfer previous, long rawReceived, long rawSent, boolean reset) {
        Transfer next = new Transfer();
        next.setReceiveBytes(add(previous == null ? null : previous.getReceiveBytes(),
                previous == null ? null : previous.getInterfaceReceiveBytes(), rawReceived, reset));
        next.setSentBytes(add(previous == null ? null : previous.getSentBytes(),
                previous == null ? null : previous.getInterfaceSentBytes(), rawSent, reset));
        next.setInterfaceReceiveBytes(rawReceived);
        next.setInterfaceSentBytes(rawSent);
        return next;
    }

    private static long add(Long total, Long last, long raw, boolean reset) {
        long sum = total == null ? 0 : total;
        if (last == null || reset || raw < last) {
            return sum + raw;
        }
        return sum + (raw - last);
    }

    public static VpnInstanceStatus instance(VpnInstanceStatus status, long generation, String interfaceName,
                                             String implementation, Integer listenPort, String appliedStatus,
                                             String appliedReason, String appliedMessage, Clock clock) {
        status.setInterfaceName(interfaceName);
        if (implementation != null) {
            status.setImplementation(implementation);
        }
        if (listenPort != null) {
            status.setListenPort(listenPort);
        }
        status.setConditions(Conditions.with(status.getConditions(), ConditionTypes.APPLIED, appliedStatus, appliedReason,
                appliedMessage, generation, clock));
        return status;
    }
}
