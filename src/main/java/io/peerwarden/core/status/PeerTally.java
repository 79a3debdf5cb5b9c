package io.peerwarden.core.status;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.PeerCounts;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;

import java.util.Collection;

/** How an instance's peers stand, counted from their statuses as written: by Ready, and connected. */
public record PeerTally(int total, int ready, int notReady, int unknown, int connected) {

    public static PeerTally of(Collection<VpnPeerStatus> statuses) {
        int ready = 0;
        int notReady = 0;
        int unknown = 0;
        int connected = 0;
        for (VpnPeerStatus status : statuses) {
            String readiness = Conditions.find(status.getConditions(), ConditionTypes.READY)
                    .map(c -> c.getStatus()).orElse(Conditions.UNKNOWN);
            switch (readiness) {
                case Conditions.TRUE -> ready++;
                case Conditions.FALSE -> notReady++;
                default -> unknown++;
            }
            if (Boolean.TRUE.equals(status.getConnected())) {
                connected++;
            }
        }
        return new PeerTally(statuses.size(), ready, notReady, unknown, connected);
    }

    /** The instance's {@code status.peers}. */
    public PeerCounts counts() {
        PeerCounts counts = new PeerCounts();
        counts.setTotal(total);
        counts.setReady(ready);
        counts.setConnected(connected);
        return counts;
    }
}
