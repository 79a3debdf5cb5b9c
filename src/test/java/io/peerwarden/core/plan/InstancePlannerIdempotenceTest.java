package io.peerwarden.core.plan;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.T0;
import static io.peerwarden.core.plan.PlanFixtures.allowed;
import static io.peerwarden.core.plan.PlanFixtures.copy;
import static io.peerwarden.core.plan.PlanFixtures.fixedKey;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.json;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.site;
import static io.peerwarden.core.plan.PlanFixtures.statusAfter;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.api.v1alpha1.PeerCounts;
import io.peerwarden.api.v1alpha1.PresharedKeySpec;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceStatus;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.keys.WireGuardKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Planning over the result of the previous plan changes nothing, so the operator writes nothing. */
class InstancePlannerIdempotenceTest {

    private final PlanFixtures.FakeKeys keys = new PlanFixtures.FakeKeys();
    private final PlanFixtures.FakeSecrets secrets = new PlanFixtures.FakeSecrets();
    private final io.peerwarden.testing.TestClock clock = io.peerwarden.testing.TestClock.at(T0.plusSeconds(3600));
    private final VpnInstance instance = instance("10.24.0.1/28", "fd00:24::1/64");

    private List<VpnPeer> group() {
        return List.of(
                peer("allocated", 1),
                peer("declared", 2, allowed("10.24.0.8/30")),
                peer("site", 3, site("192.168.0.0/24")),
                peer("byo", 4, s -> s.setPublicKey(WireGuardKeys.publicKeyOf(fixedKey("byo")))),
                peer("no-psk", 5, s -> s.setPresharedKey(new PresharedKeySpec(PresharedKeySpec.NONE, null))),
                peer("loser", 6, allowed("10.24.0.9/32")),
                peer("invalid", 7, s -> s.setMtu(1)),
                peer("allocated-2", 8),
                peer("allocated-3", 9),
                peer("allocated-4", 10),
                peer("allocated-5", 11),
                peer("allocated-6", 12),
                peer("allocated-7", 13),
                peer("exhausted", 14));
    }

    @ParameterizedTest(name = "restart between the plans: {0}")
    @ValueSource(booleans = {false, true})
    void secondPlanOverTheFirstPlansOutputChangesNothing(boolean restart) {
        AllocationLedger ledger = new AllocationLedger();
        InstancePlan first = new InstancePlanner(keys).plan(instance, group(), secrets, ledger, nodes(NODE), List.of());
        ledger.recordAll(first.allocations());
        secrets.writeAll(first);
        List<VpnPeer> fedBack = PlanFixtures.withStatuses(first, clock);
        VpnInstance instanceFedBack = copy(instance);
        instanceFedBack.setStatus(first.applyTo(new VpnInstanceStatus(), 1L, counts(first), clock));
        int generated = keys.generated();
        // sanity: the group exercises what it is meant to
        assertThat(first.collisions()).isEqualTo(1);
        assertThat(first.peers()).filteredOn(PeerPlan::valid).hasSizeGreaterThan(5);
        assertThat(first.peers()).filteredOn(p -> !p.valid()).hasSizeGreaterThanOrEqualTo(3);

        clock.advance(Duration.ofHours(5));
        InstancePlan second = new InstancePlanner(keys).plan(instanceFedBack, fedBack, secrets,
                restart ? new AllocationLedger() : ledger, nodes(NODE), List.of());

        assertThat(keys.generated()).as("no key generated again").isEqualTo(generated);
        assertThat(second.keySecret()).isNull();
        assertThat(second.publicKey()).isEqualTo(first.publicKey());
        Map<String, PeerPlan> before = byName(first);
        for (PeerPlan now : second.peers()) {
            String name = now.peer().getMetadata().getName();
            PeerPlan then = before.get(name);
            assertThat(now.allowedIPs()).as(name).isEqualTo(then.allowedIPs());
            assertThat(now.conditions()).as(name).isEqualTo(then.conditions());
            if (then.secret() == null) {
                assertThat(now.secret()).as(name).isNull();
            } else {
                assertThat(now.secret().data()).as(name).isEqualTo(then.secret().data());
                assertThat(now.secret().annotations()).as(name).isEqualTo(then.secret().annotations());
                assertThat(now.secret().labels()).as(name).isEqualTo(then.secret().labels());
            }
            VpnPeerStatus previous = now.peer().getStatus();
            assertThat(json(statusAfter(now, clock))).as("status of %s, lastTransitionTime included", name)
                    .isEqualTo(json(previous));
        }
        VpnInstanceStatus instanceAgain = second.applyTo(copy(instanceFedBack.getStatus()), 1L, counts(second), clock);
        assertThat(json(instanceAgain)).isEqualTo(json(instanceFedBack.getStatus()));
    }

    private static PeerCounts counts(InstancePlan plan) {
        PeerCounts counts = new PeerCounts();
        counts.setTotal(plan.peers().size());
        counts.setReady(0);
        counts.setConnected(0);
        return counts;
    }

    private static Map<String, PeerPlan> byName(InstancePlan plan) {
        return plan.peers().stream().collect(Collectors.toMap(p -> p.peer().getMetadata().getName(), Function.identity()));
    }
}
