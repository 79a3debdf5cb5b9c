package io.peerwarden.core.plan;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.allowed;
import static io.peerwarden.core.plan.PlanFixtures.condition;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.core.status.ConditionState;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.status.Conditions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Addresses for peers without spec.allowedIPs: lowest free, one per family, kept for the peer's lifetime. */
class InstancePlannerAllocationTest {

    private final InstancePlanner planner = new InstancePlanner(new PlanFixtures.FakeKeys());
    private final PlanFixtures.FakeSecrets secrets = new PlanFixtures.FakeSecrets();

    private InstancePlan plan(VpnInstance instance, List<VpnPeer> peers, AllocationLedger ledger) {
        InstancePlan plan = planner.plan(instance, peers, secrets, ledger, nodes(NODE), List.of());
        ledger.recordAll(plan.allocations());
        return plan;
    }

    private InstancePlan plan(VpnInstance instance, List<VpnPeer> peers) {
        return plan(instance, peers, new AllocationLedger());
    }

    @ParameterizedTest(name = "pool {0}: {1}")
    @CsvSource(delimiter = ';', value = {
            // server first: network .0 and server .1 skipped
            "10.24.0.1/24; 10.24.0.2/32 10.24.0.3/32 10.24.0.4/32",
            // server in the middle of a /29: network .0, server .2, broadcast .7 skipped
            "10.24.0.2/29; 10.24.0.1/32 10.24.0.3/32 10.24.0.4/32 10.24.0.5/32 10.24.0.6/32",
            // IPv6: the subnet-router anycast ::0 and the server ::1 skipped
            "fd00:24::1/64; fd00:24::2/128 fd00:24::3/128 fd00:24::4/128",
            "fd00:24::3/125; fd00:24::1/128 fd00:24::2/128 fd00:24::4/128",
    })
    void allocatesTheLowestFreeAddressSkippingServerNetworkAndBroadcast(String pool, String expected) {
        List<String> want = List.of(expected.split(" "));
        List<VpnPeer> peers = java.util.stream.IntStream.range(0, want.size())
                .mapToObj(i -> peer("p" + i, i)).toList();

        InstancePlan plan = plan(instance(pool), peers);

        for (int i = 0; i < want.size(); i++) {
            PeerPlan p = planOf(plan, "p" + i);
            assertThat(p.allowedIPs()).containsExactly(want.get(i));
            assertThat(condition(p, ConditionTypes.ADDRESS_ASSIGNED).reason()).isEqualTo(Reasons.ALLOCATED);
        }
    }

    @Test
    void allocationFillsTheGapsBetweenDeclaredAddressesInSeniorityOrder() {
        InstancePlan plan = plan(instance("10.24.0.1/24"), List.of(
                peer("young", 3),
                peer("declared", 1, allowed("10.24.0.2/31")),   // .2 and .3
                peer("old", 2)));

        assertThat(planOf(plan, "old").allowedIPs()).containsExactly("10.24.0.4/32");
        assertThat(planOf(plan, "young").allowedIPs()).containsExactly("10.24.0.5/32");
    }

    @Test
    void dualStackPeerGetsOneAddressPerFamily() {
        InstancePlan plan = plan(instance("10.24.0.1/24", "fd00:24::1/64"), List.of(peer("a", 1), peer("b", 2)));

        assertThat(planOf(plan, "a").allowedIPs()).containsExactly("10.24.0.2/32", "fd00:24::2/128");
        assertThat(planOf(plan, "b").allowedIPs()).containsExactly("10.24.0.3/32", "fd00:24::3/128");
        assertThat(plan.pools()).extracting(ps -> ps.getFamily() + " " + ps.getAllocated())
                .containsExactly("IPv4 2", "IPv6 2");
    }

    @Test
    void allocationIsKeptAcrossPlansThroughTheLedger() {
        AllocationLedger ledger = new AllocationLedger();
        VpnInstance instance = instance("10.24.0.1/24");
        plan(instance, List.of(peer("a", 1), peer("b", 2), peer("c", 3)), ledger);

        // a is deleted; b and c keep their addresses even though .2 is now lower and free
        InstancePlan again = plan(instance, List.of(peer("b", 2), peer("c", 3), peer("d", 4)), ledger);

        assertThat(planOf(again, "b").allowedIPs()).containsExactly("10.24.0.3/32");
        assertThat(planOf(again, "c").allowedIPs()).containsExactly("10.24.0.4/32");
        assertThat(planOf(again, "d").allowedIPs()).containsExactly("10.24.0.2/32");
    }

    @Test
    void allocationIsKeptAfterARestartFromTheSecretAnnotation() {
        VpnPeer peer = peer("p", 5);
        secrets.putManaged(Labels.peerConfigSecretName("p"), Map.of(),
                Map.of(Labels.ALLOWED_IPS_ANNOTATION, "10.24.0.77/32", Labels.PEER_UID_ANNOTATION, peer.getMetadata().getUid()));

        InstancePlan plan = plan(instance("10.24.0.1/24"), List.of(peer("older", 1), peer));

        assertThat(planOf(plan, "p").allowedIPs()).containsExactly("10.24.0.77/32");
        assertThat(planOf(plan, "older").allowedIPs()).containsExactly("10.24.0.2/32");
    }

    @Test
    void allocationIsKeptAfterARestartFromTheStatus() {
        VpnPeer peer = peer("p", 5);
        VpnPeerStatus status = new VpnPeerStatus();
        status.setAllowedIPs(List.of("10.24.0.77/32", "fd00:24::77/128"));
        peer.setStatus(status);

        InstancePlan plan = plan(instance("10.24.0.1/24", "fd00:24::1/64"), List.of(peer("older", 1), peer));

        assertThat(planOf(plan, "p").allowedIPs()).containsExactly("10.24.0.77/32", "fd00:24::77/128");
        assertThat(condition(planOf(plan, "p"), ConditionTypes.ADDRESS_ASSIGNED).reason()).isEqualTo(Reasons.ALLOCATED);
    }

    @Test
    void recordOfTheFamilyThatIsStillAPoolIsKeptAndTheNewFamilyIsAllocated() {
        VpnPeer peer = peer("p", 5);
        VpnPeerStatus status = new VpnPeerStatus();
        status.setAllowedIPs(List.of("10.24.0.77/32"));
        peer.setStatus(status);

        InstancePlan plan = plan(instance("10.24.0.1/24", "fd00:24::1/64"), List.of(peer));

        assertThat(planOf(plan, "p").allowedIPs()).containsExactly("10.24.0.77/32", "fd00:24::2/128");
    }

    @Test
    void secretAnnotationMadeForAnEarlierPeerOfTheSameNameIsIgnored() {
        VpnPeer recreated = peer("p", 5);
        secrets.putManaged(Labels.peerConfigSecretName("p"), Map.of(),
                Map.of(Labels.ALLOWED_IPS_ANNOTATION, "10.24.0.77/32", Labels.PEER_UID_ANNOTATION, "uid-of-the-deleted-peer"));

        InstancePlan plan = plan(instance("10.24.0.1/24"), List.of(recreated));

        assertThat(planOf(plan, "p").allowedIPs()).containsExactly("10.24.0.2/32");
        assertThat(planOf(plan, "p").secret().annotations())
                .containsEntry(Labels.PEER_UID_ANNOTATION, recreated.getMetadata().getUid())
                .containsEntry(Labels.ALLOWED_IPS_ANNOTATION, "10.24.0.2/32");
    }

    @Test
    void recordedAddressThatASeniorPeerDeclaredIsReallocatedNotTaken() {
        VpnPeer junior = peer("junior", 5);
        VpnPeerStatus status = new VpnPeerStatus();
        status.setAllowedIPs(List.of("10.24.0.2/32"));
        junior.setStatus(status);
        VpnPeer senior = peer("senior", 1, allowed("10.24.0.2/32"));

        InstancePlan plan = plan(instance("10.24.0.1/24"), List.of(junior, senior));

        PeerPlan moved = planOf(plan, "junior");
        assertThat(moved.valid()).isTrue();
        assertThat(condition(moved, ConditionTypes.VALID).status()).isEqualTo(Conditions.TRUE);
        assertThat(moved.allowedIPs()).containsExactly("10.24.0.3/32");
        assertThat(planOf(plan, "senior").allowedIPs()).containsExactly("10.24.0.2/32");
        assertThat(plan.collisions()).isZero();
    }

    @Test
    void poolExhaustedLeavesTheYoungestPeerWithoutAnAddress() {
        // a /30 has one address for peers: .0 network, .1 server, .3 broadcast
        InstancePlan plan = plan(instance("10.24.0.1/30"), List.of(peer("second", 2), peer("first", 1)));

        assertThat(planOf(plan, "first").allowedIPs()).containsExactly("10.24.0.2/32");
        PeerPlan second = planOf(plan, "second");
        ConditionState assigned = condition(second, ConditionTypes.ADDRESS_ASSIGNED);
        assertThat(assigned.status()).isEqualTo(Conditions.FALSE);
        assertThat(assigned.reason()).isEqualTo(Reasons.POOL_EXHAUSTED);
        assertThat(assigned.message()).contains("10.24.0.0/30");
        assertThat(second.valid()).isFalse();
        assertThat(second.secret()).isNull();
        assertThat(second.allowedIPs()).isEmpty();
    }

    @Test
    void invalidPeerGetsNoAllocationAndTheNextPeerGetsTheLowestAddress() {
        InstancePlan plan = plan(instance("10.24.0.1/24"), List.of(
                peer("broken", 1, s -> s.setDns(List.of("not a dns server!"))),
                peer("fine", 2)));

        PeerPlan broken = planOf(plan, "broken");
        assertThat(broken.valid()).isFalse();
        assertThat(broken.allowedIPs()).isEmpty();
        assertThat(condition(broken, ConditionTypes.VALID).reason()).isEqualTo(Reasons.INVALID_DNS);
        assertThat(condition(broken, ConditionTypes.ADDRESS_ASSIGNED).reason()).isEqualTo(Reasons.NOT_VALID);
        assertThat(planOf(plan, "fine").allowedIPs()).containsExactly("10.24.0.2/32");
        assertThat(plan.pools().get(0).getAllocated()).isEqualTo(1L);
    }

    @Test
    void invalidPeerKeepsTheAddressItAlreadyHad() {
        // a passing mistake in the spec must not cost the peer its address
        VpnPeer peer = peer("p", 5, s -> s.setDns(List.of("not a dns server!")));
        VpnPeerStatus status = new VpnPeerStatus();
        status.setAllowedIPs(List.of("10.24.0.9/32"));
        peer.setStatus(status);

        InstancePlan plan = plan(instance("10.24.0.1/24"), List.of(peer, peer("newcomer", 6, allowed("10.24.0.9/32"))));

        assertThat(planOf(plan, "p").allowedIPs()).containsExactly("10.24.0.9/32");
        assertThat(condition(planOf(plan, "newcomer"), ConditionTypes.VALID).reason()).isEqualTo(Reasons.ALLOWED_IP_TAKEN);
    }

    @Test
    void recordedAddressThatIsNowTheServerAddressIsReplaced() {
        // the instance moved its server address onto an address a peer had been allocated
        VpnPeer peer = peer("p", 5);
        VpnPeerStatus status = new VpnPeerStatus();
        status.setAllowedIPs(List.of("10.24.0.2/32"));
        peer.setStatus(status);

        InstancePlan plan = plan(instance("10.24.0.2/24"), List.of(peer));

        assertThat(planOf(plan, "p").allowedIPs()).containsExactly("10.24.0.1/32");
        assertThat(planOf(plan, "p").valid()).isTrue();
    }

    @Test
    void recordedAddressOutsideThePoolsIsReplaced() {
        VpnPeer peer = peer("p", 5);
        VpnPeerStatus status = new VpnPeerStatus();
        status.setAllowedIPs(List.of("10.99.0.7/32"));
        peer.setStatus(status);

        InstancePlan plan = plan(instance("10.24.0.1/24"), List.of(peer));

        assertThat(planOf(plan, "p").allowedIPs()).containsExactly("10.24.0.2/32");
    }
}
