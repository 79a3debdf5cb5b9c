package io.peerwarden.operator;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Transfer;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.kube.Serialization;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The instance reconcile wakes for changes that matter to it, not for the agent's counter refreshes. */
class PeerChangeFilterTest {

    private final PeerChangeFilter filter = new PeerChangeFilter();
    private final Clock clock = Clock.systemUTC();

    private VpnPeer base() {
        VpnPeer peer = OperatorHarness.peer("p", "office", "client");
        peer.getMetadata().setGeneration(1L);
        VpnPeerStatus status = new VpnPeerStatus();
        status.setObservedGeneration(1L);
        status.setAllowedIPs(List.of("10.24.0.2/32"));
        status.setConnected(false);
        status.setConditions(Conditions.with(status.getConditions(), ConditionTypes.VALID, Conditions.TRUE, "Valid", "ok", 1L, clock));
        status.setConditions(Conditions.with(status.getConditions(), ConditionTypes.READY, Conditions.TRUE, "Ready", "ok", 1L, clock));
        status.setConditions(Conditions.with(status.getConditions(), ConditionTypes.APPLIED, Conditions.TRUE, "Applied", "ok", 1L, clock));
        peer.setStatus(status);
        return peer;
    }

    private boolean wakes(Consumer<VpnPeer> change) {
        VpnPeer before = base();
        VpnPeer after = Serialization.copy(before, VpnPeer.class);
        change.accept(after);
        return filter.accept(after, before);
    }

    @Test
    void counterAndHandshakeRefreshesDoNotWakeTheInstance() {
        assertThat(wakes(p -> {
            Transfer transfer = new Transfer();
            transfer.setReceiveBytes(1234L);
            p.getStatus().setTransfer(transfer);
            p.getStatus().setLatestHandshake("2026-11-23T10:00:00Z");
            p.getStatus().setConnectedFrom("192.0.2.7:51820");
        })).isFalse();
    }

    @Test
    void specEditsDeletionsAndWhatTheInstanceCountsWakeIt() {
        assertThat(wakes(p -> p.getMetadata().setGeneration(2L))).isTrue();
        assertThat(wakes(p -> p.getMetadata().setDeletionTimestamp("2026-11-23T10:00:00Z"))).isTrue();
        assertThat(wakes(p -> p.getStatus().setConnected(true))).isTrue();
        assertThat(wakes(p -> p.getStatus().setConditions(Conditions.with(p.getStatus().getConditions(), ConditionTypes.READY,
                Conditions.FALSE, "WgSetFailed", "x", 1L, clock)))).isTrue();
    }

    @Test
    void losingTheOperatorsPartOfTheStatusWakesItToRewriteIt() {
        assertThat(wakes(p -> p.setStatus(null))).isTrue();
        assertThat(wakes(p -> p.getStatus().setAllowedIPs(null))).isTrue();
        assertThat(wakes(p -> p.getStatus().setConditions(Conditions.with(p.getStatus().getConditions(), ConditionTypes.VALID,
                Conditions.FALSE, "AllowedIPTaken", "x", 1L, clock)))).isTrue();
    }
}
