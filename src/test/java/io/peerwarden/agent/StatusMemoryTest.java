package io.peerwarden.agent;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.WgPeer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The status pass skips a peer only when writing would change none of the agent's fields. */
class StatusMemoryTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private final StatusMemory memory = new StatusMemory();

    private static PeerObservation applied(long handshakeAgo, long rx) {
        WgPeer live = new WgPeer("key", null, "192.0.2.1:4000", Set.of("10.0.0.2/32"), NOW.minusSeconds(handshakeAgo).getEpochSecond(),
                rx, 20, 0);
        return new PeerObservation(Conditions.TRUE, Reasons.APPLIED, "The server interface pw0 has the peer.", live, false);
    }

    /** The peer as its status is after the agent wrote {@code seen}. */
    private static VpnPeer written(PeerObservation seen) {
        VpnPeer peer = new VpnPeer();
        peer.setMetadata(new ObjectMetaBuilder().withName("alice").withNamespace("ns").withUid("uid-alice").withGeneration(1L).build());
        VpnPeerStatus status = new VpnPeerStatus();
        status.setObservedGeneration(1L);
        peer.setStatus(StatusMutations.peer(status, 1L, seen, CLOCK, true));
        return peer;
    }

    @Test
    void theSameObservationAsWrittenIsSkipped() {
        VpnPeer peer = written(applied(30, 10));
        memory.remember(peer, 1L, applied(30, 10), true, NOW);
        assertThat(memory.unchanged(peer, 1L, applied(30, 10), true, NOW)).isTrue();
    }

    @Test
    void aPeerNeverWrittenIsWritten() {
        assertThat(memory.unchanged(written(applied(30, 10)), 1L, applied(30, 10), true, NOW)).isFalse();
    }

    @Test
    void newCountersAreWrittenOnlyWhenCountersAreRefreshed() {
        VpnPeer peer = written(applied(30, 10));
        memory.remember(peer, 1L, applied(30, 10), true, NOW);
        assertThat(memory.unchanged(peer, 1L, applied(30, 99), false, NOW)).as("between refreshes").isTrue();
        assertThat(memory.unchanged(peer, 1L, applied(30, 99), true, NOW)).as("at a refresh").isFalse();
    }

    @Test
    void countersSeenBetweenRefreshesAreStillWrittenAtTheNextRefresh() {
        VpnPeer peer = written(applied(30, 10));
        memory.remember(peer, 1L, applied(30, 10), true, NOW);
        // a write between refreshes (say Applied changed) does not write counters: the memory keeps the written ones
        memory.remember(peer, 1L, applied(30, 99), false, NOW);
        assertThat(memory.unchanged(peer, 1L, applied(30, 99), true, NOW)).isFalse();
    }

    @Test
    void aConnectedFlipAVerdictChangeOrANewGenerationIsWritten() {
        VpnPeer peer = written(applied(30, 10));
        memory.remember(peer, 1L, applied(30, 10), true, NOW);
        assertThat(memory.unchanged(peer, 1L, applied(600, 10), false, NOW)).as("handshake too old: disconnected").isFalse();
        PeerObservation failed = new PeerObservation(Conditions.FALSE, Reasons.WG_SET_FAILED, "wg: bad", applied(30, 10).live(), false);
        assertThat(memory.unchanged(peer, 1L, failed, false, NOW)).isFalse();
        assertThat(memory.unchanged(peer, 2L, applied(30, 10), false, NOW)).isFalse();
    }

    @Test
    void aStatusWhoseAgentFieldsSomeoneElseResetIsWrittenAgain() {
        VpnPeer peer = written(applied(30, 10));
        memory.remember(peer, 1L, applied(30, 10), true, NOW);
        peer.getStatus().setConditions(Conditions.with(peer.getStatus().getConditions(), ConditionTypes.APPLIED, Conditions.UNKNOWN,
                Reasons.WAITING_FOR_AGENT, "Waiting for the node agent.", 1L, CLOCK));
        assertThat(memory.unchanged(peer, 1L, applied(30, 10), false, NOW)).isFalse();
    }
}
