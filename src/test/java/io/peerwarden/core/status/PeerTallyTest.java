package io.peerwarden.core.status;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PeerTallyTest {

    private static VpnPeerStatus peer(String ready, boolean connected) {
        VpnPeerStatus status = new VpnPeerStatus();
        if (ready != null) {
            status.setConditions(Conditions.with(null, ConditionTypes.READY, ready, "r", "m", 1L, Clock.systemUTC()));
        }
        status.setConnected(connected);
        return status;
    }

    @Test
    void countsPeersByReadyAndAPeerWithoutReadyAsUnknown() {
        PeerTally tally = PeerTally.of(List.of(peer(Conditions.TRUE, true), peer(Conditions.TRUE, false),
                peer(Conditions.FALSE, false), peer(null, true)));

        assertThat(tally).isEqualTo(new PeerTally(4, 2, 1, 1, 2));
        assertThat(tally.counts().getTotal()).isEqualTo(4);
        assertThat(tally.counts().getReady()).isEqualTo(2);
        assertThat(tally.counts().getConnected()).isEqualTo(2);
    }
}
