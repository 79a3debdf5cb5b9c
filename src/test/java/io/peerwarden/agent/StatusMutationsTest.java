package io.peerwarden.agent;

import io.fabric8.kubernetes.api.model.Condition;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.Transfer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.WgPeer;
import io.peerwarden.kube.Serialization;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class StatusMutationsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private static VpnPeerStatus operatorStatus() {
        VpnPeerStatus status = new VpnPeerStatus();
        status.setObservedGeneration(2L);
        Clock old = Clock.fixed(Instant.parse("2025-12-31T00:00:00Z"), ZoneOffset.UTC);
        var c = Conditions.with(null, ConditionTypes.VALID, Conditions.TRUE, Reasons.VALID, "ok", 2L, old);
        c = Conditions.with(c, ConditionTypes.ADDRESS_ASSIGNED, Conditions.TRUE, Reasons.ALLOCATED, "ok", 2L, old);
        c = Conditions.with(c, ConditionTypes.CONFIG_RENDERED, Conditions.TRUE, Reasons.RENDERED, "ok", 2L, old);
        status.setConditions(c);
        return status;
    }

    private static WgPeer live(long handshake, long rx, long tx) {
        return new WgPeer("K", null, "192.0.2.7:4000", Set.of("10.0.0.2/32"), handshake, rx, tx, 0);
    }

    private static PeerObservation applied(WgPeer live, boolean reset) {
        return new PeerObservation(Conditions.TRUE, Reasons.APPLIED, "has it", live, reset);
    }

    @Test
    void appliedPeerWithRecentHandshakeIsConnectedAndReady() {
        VpnPeerStatus s = StatusMutations.peer(operatorStatus(), 2, applied(live(NOW.getEpochSecond() - 30, 100, 200), false), clock, true);

        assertThat(s.getConnected()).isTrue();
        assertThat(s.getConnectedFrom()).isEqualTo("192.0.2.7:4000");
        assertThat(s.getLatestHandshake()).isEqualTo("2026-01-01T11:59:30Z");
        assertThat(s.getTransfer().getReceiveBytes()).isEqualTo(100);
        assertThat(Conditions.find(s.getConditions(), ConditionTypes.CONNECTED).map(Condition::getReason)).contains(Reasons.HANDSHAKE_RECENT);
        assertThat(Conditions.find(s.getConditions(), ConditionTypes.READY).map(Condition::getStatus)).contains(Conditions.TRUE);
        // the operator's conditions are untouched
        assertThat(Conditions.find(s.getConditions(), ConditionTypes.VALID).map(Condition::getLastTransitionTime)).contains("2025-12-31T00:00:00Z");
    }

    @Test
    void handshakeOlderThanThreeMinutesIsNotConnectedButStillReady() {
        VpnPeerStatus s = StatusMutations.peer(operatorStatus(), 2, applied(live(NOW.getEpochSecond() - 181, 1, 1), false), clock, true);

        assertThat(s.getConnected()).isFalse();
        assertThat(Conditions.find(s.getConditions(), ConditionTypes.CONNECTED).map(Condition::getReason)).contains(Reasons.NO_RECENT_HANDSHAKE);
        assertThat(Conditions.isTrue(s.getConditions(), ConditionTypes.READY)).isTrue();
    }

    @Test
    void wgFailureMakesAppliedAndReadyFalseWithTheToolsText() {
        PeerObservation failed = new PeerObservation(Conditions.FALSE, Reasons.WG_SET_FAILED, "Name or service not known: `x:1'", null, false);

        VpnPeerStatus s = StatusMutations.peer(operatorStatus(), 2, failed, clock, false);

        Condition applied = Conditions.find(s.getConditions(), ConditionTypes.APPLIED).orElseThrow();
        assertThat(applied.getReason()).isEqualTo(Reasons.WG_SET_FAILED);
        assertThat(applied.getMessage()).contains("Name or service not known");
        assertThat(Conditions.find(s.getConditions(), ConditionTypes.READY).map(Condition::getStatus)).contains(Conditions.FALSE);
    }

    @Test
    void restatingTheSameObservationChangesNothing() {
        VpnPeerStatus once = StatusMutations.peer(operatorStatus(), 2, applied(live(NOW.getEpochSecond() - 30, 100, 200), false), clock, true);
        VpnPeerStatus copy = Serialization.copy(once, VpnPeerStatus.class);
        Clock later = Clock.fixed(NOW.plusSeconds(10), ZoneOffset.UTC);

        VpnPeerStatus twice = StatusMutations.peer(copy, 2, applied(live(NOW.getEpochSecond() - 30, 100, 200), false), later, false);

        assertThat(Serialization.asTree(twice)).isEqualTo(Serialization.asTree(once));
    }

    @Test
    void countersAreNotWrittenBetweenCounterRefreshes() {
        VpnPeerStatus once = StatusMutations.peer(operatorStatus(), 2, applied(live(NOW.getEpochSecond() - 30, 100, 200), false), clock, true);

        VpnPeerStatus next = StatusMutations.peer(once, 2, applied(live(NOW.getEpochSecond() - 30, 5000, 6000), false), clock, false);

        assertThat(next.getTransfer().getReceiveBytes()).isEqualTo(100);
    }

    private static WgPeer liveFrom(String endpoint, long handshake) {
        return new WgPeer("K", null, endpoint, Set.of("10.0.0.2/32"), handshake, 100, 200, 0);
    }

    @Test
    void aRoamingEndpointIsNotWrittenBetweenCounterRefreshes() {
        VpnPeerStatus once = StatusMutations.peer(operatorStatus(), 2, applied(liveFrom("192.0.2.7:4000", NOW.getEpochSecond() - 30), false), clock, true);
        VpnPeerStatus copy = Serialization.copy(once, VpnPeerStatus.class);

        // NAT rebinding: same peer, new source port, still connected, no counter refresh due
        VpnPeerStatus next = StatusMutations.peer(copy, 2, applied(liveFrom("192.0.2.7:4999", NOW.getEpochSecond() - 30), false), clock, false);

        assertThat(next.getConnectedFrom()).isEqualTo("192.0.2.7:4000");
        assertThat(Serialization.asTree(next)).as("no write").isEqualTo(Serialization.asTree(once));
    }

    @Test
    void theEndpointIsRefreshedWithTheCounters() {
        VpnPeerStatus once = StatusMutations.peer(operatorStatus(), 2, applied(liveFrom("192.0.2.7:4000", NOW.getEpochSecond() - 30), false), clock, true);

        VpnPeerStatus next = StatusMutations.peer(once, 2, applied(liveFrom("192.0.2.7:4999", NOW.getEpochSecond() - 30), false), clock, true);

        assertThat(next.getConnectedFrom()).isEqualTo("192.0.2.7:4999");
    }

    @Test
    void theEndpointIsWrittenWhenConnectedFlipsOrWhenUnset() {
        // first sighting, no counter refresh due: unset, so written
        VpnPeerStatus first = StatusMutations.peer(operatorStatus(), 2, applied(liveFrom("192.0.2.7:4000", NOW.getEpochSecond() - 600), false), clock, false);
        assertThat(first.getConnectedFrom()).isEqualTo("192.0.2.7:4000");
        assertThat(first.getConnected()).isFalse();

        // it reconnects from elsewhere: connected flips, so the new endpoint goes with it
        VpnPeerStatus back = StatusMutations.peer(first, 2, applied(liveFrom("198.51.100.9:5000", NOW.getEpochSecond() - 5), false), clock, false);
        assertThat(back.getConnected()).isTrue();
        assertThat(back.getConnectedFrom()).isEqualTo("198.51.100.9:5000");
    }

    @Test
    void transferIsCumulativeOverCounterResets() {
        Transfer t = StatusMutations.accumulate(null, 100, 10, false);
        t = StatusMutations.accumulate(t, 150, 20, false);
        assertThat(t.getReceiveBytes()).isEqualTo(150);
        // interface restarted: the reading dropped
        t = StatusMutations.accumulate(t, 30, 5, false);
        assertThat(t.getReceiveBytes()).isEqualTo(180);
        assertThat(t.getSentBytes()).isEqualTo(25);
        // a known reset whose new reading already passed the old one
        t = StatusMutations.accumulate(t, 40, 6, true);
        assertThat(t.getReceiveBytes()).isEqualTo(220);
        assertThat(t.getInterfaceReceiveBytes()).isEqualTo(40);
    }
}
