package io.peerwarden.operator;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.status.PeerTally;

import java.util.HashMap;
import java.util.Map;

/**
 * How each peer of one instance stands (Ready True/False/Unknown, connected), kept between reconciles so
 * that the instance's {@code status.peers} counts follow a change of a few peers in O(changed), not by
 * recounting every peer. One per instance; used by that instance's reconcile only (never two at once).
 */
final class PeerStandings {

    private static final byte READY = 0;
    private static final byte NOT_READY = 1;
    private static final byte UNKNOWN = 2;
    private static final byte CONNECTED = 4;

    private final Map<String, Byte> byPeerKey = new HashMap<>();
    private int ready;
    private int notReady;
    private int unknown;
    private int connected;

    /** After a plan of every peer: exactly these peers stand, as given. */
    void replaceAll(Map<String, VpnPeerStatus> statuses) {
        byPeerKey.clear();
        ready = notReady = unknown = connected = 0;
        statuses.forEach(this::put);
    }

    void put(String peerKey, VpnPeerStatus status) {
        remove(peerKey);
        byte standing = standing(status);
        byPeerKey.put(peerKey, standing);
        count(standing, 1);
    }

    void remove(String peerKey) {
        Byte before = byPeerKey.remove(peerKey);
        if (before != null) {
            count(before, -1);
        }
    }

    PeerTally tally() {
        return new PeerTally(byPeerKey.size(), ready, notReady, unknown, connected);
    }

    private void count(byte standing, int delta) {
        switch (standing & 3) {
            case READY -> ready += delta;
            case NOT_READY -> notReady += delta;
            default -> unknown += delta;
        }
        if ((standing & CONNECTED) != 0) {
            connected += delta;
        }
    }

    private static byte standing(VpnPeerStatus status) {
        String readiness = status == null ? Conditions.UNKNOWN : Conditions.find(status.getConditions(), ConditionTypes.READY)
                .map(c -> c.getStatus()).orElse(Conditions.UNKNOWN);
        byte standing = switch (readiness) {
            case Conditions.TRUE -> READY;
            case Conditions.FALSE -> NOT_READY;
            default -> UNKNOWN;
        };
        return status != null && Boolean.TRUE.equals(status.getConnected()) ? (byte) (standing | CONNECTED) : standing;
    }
}
