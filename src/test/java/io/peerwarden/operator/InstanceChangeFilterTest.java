package io.peerwarden.operator;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.PeerCounts;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceStatus;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.kube.Serialization;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The instance reconcile wakes for its spec and the agent's verdict, not for its own status writes. */
class InstanceChangeFilterTest {

    private final InstanceChangeFilter filter = new InstanceChangeFilter();
    private final Clock clock = Clock.systemUTC();

    private boolean wakes(Consumer<VpnInstance> change) {
        VpnInstance before = OperatorHarness.instance("office", "10.24.0.1/24");
        before.getMetadata().setGeneration(1L);
        VpnInstanceStatus status = new VpnInstanceStatus();
        status.setPublicKey("pub");
        status.setConditions(Conditions.with(null, ConditionTypes.APPLIED, Conditions.UNKNOWN, "WaitingForAgent", "w", 1L, clock));
        before.setStatus(status);
        VpnInstance after = Serialization.copy(before, VpnInstance.class);
        change.accept(after);
        return filter.accept(after, before);
    }

    @Test
    void theOperatorsOwnCountsDoNotWakeIt() {
        assertThat(wakes(i -> {
            PeerCounts counts = new PeerCounts();
            counts.setTotal(3);
            i.getStatus().setPeers(counts);
        })).isFalse();
    }

    @Test
    void specEditsTheAgentsVerdictAndAWipedStatusDo() {
        assertThat(wakes(i -> i.getMetadata().setGeneration(2L))).isTrue();
        assertThat(wakes(i -> i.getStatus().setConditions(Conditions.with(i.getStatus().getConditions(), ConditionTypes.APPLIED,
                Conditions.TRUE, "Applied", "up", 1L, clock)))).isTrue();
        assertThat(wakes(i -> i.setStatus(null))).isTrue();
    }
}
