package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.core.status.Conditions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.allowed;
import static io.peerwarden.core.plan.PlanFixtures.condition;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static io.peerwarden.core.plan.PlanFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Site subnets are routed on the node's host, so two instances on one node must not both route a
 * network: the earlier site keeps it, across instances; a dual-stack peer that loses one recorded
 * address keeps the other.
 */
class InstancePlannerAcrossInstancesTest {

    private final InstancePlanner planner = new InstancePlanner(new PlanFixtures.FakeKeys());
    private final PlanFixtures.FakeSecrets secrets = new PlanFixtures.FakeSecrets();
    private final VpnInstance east = instance("east", 0, "10.24.0.1/24");
    private final VpnInstance west = instance("west", 1, "10.25.0.1/24");

    private VpnPeer siteOf(VpnInstance instance, String name, int second, String subnet) {
        VpnPeer peer = peer(name, second, site(subnet));
        peer.getSpec().setInstanceRef(new InstanceRef(instance.getMetadata().getName()));
        return peer;
    }

    private InstancePlan plan(VpnInstance instance, VpnPeer own, VpnInstance other, VpnPeer theirs) {
        return planner.plan(instance, List.of(own), secrets, new AllocationLedger(), nodes(NODE, "elsewhere"), List.of(other),
                Map.of(other.getMetadata().getNamespace() + "/" + other.getMetadata().getName(),
                        List.of(theirs)));
    }

    @Test
    void theEarlierSiteKeepsASubnetRoutedOnTheSameNodeByAnotherInstance() {
        VpnPeer older = siteOf(east, "hq", 10, "10.50.0.0/16");
        VpnPeer younger = siteOf(west, "branch", 20, "10.50.1.0/24");

        PeerPlan branch = planOf(plan(west, younger, east, older), "branch");
        PeerPlan hq = planOf(plan(east, older, west, younger), "hq");

        assertThat(condition(branch, ConditionTypes.VALID).reason()).isEqualTo(Reasons.ALLOWED_IP_TAKEN);
        assertThat(condition(branch, ConditionTypes.VALID).message()).contains(PlanFixtures.NS + "/hq").contains("VpnInstance east");
        assertThat(condition(hq, ConditionTypes.VALID).status()).isEqualTo(Conditions.TRUE);
    }

    @Test
    void aSiteInvalidInItsOwnInstanceClaimsNoSubnetOnTheNode() {
        VpnPeer olderInvalid = siteOf(east, "hq", 10, "10.50.0.0/16");
        olderInvalid.getSpec().setDns(List.of("not a dns entry"));
        VpnPeer younger = siteOf(west, "branch", 20, "10.50.1.0/24");

        PeerPlan branch = planOf(plan(west, younger, east, olderInvalid), "branch");

        assertThat(condition(branch, ConditionTypes.VALID).status()).isEqualTo(Conditions.TRUE);
        assertThat(branch.valid()).isTrue();
    }

    @Test
    void aSiteThatLostACollisionInItsOwnInstanceReservesNoSubnetOnTheNodeUntilItWinsAgain() {
        VpnPeer desk = peer("desk", 5, allowed("10.24.0.5/32"));
        desk.getSpec().setInstanceRef(new InstanceRef("east"));
        VpnPeer hq = siteOf(east, "hq", 10, "10.50.0.0/16");
        hq.getSpec().setAllowedIPs(List.of("10.24.0.5/32"));
        VpnPeer branch = siteOf(west, "branch", 20, "10.50.1.0/24");
        java.time.Clock clock = java.time.Clock.fixed(PlanFixtures.T0, java.time.ZoneOffset.UTC);

        // east's own plan: hq loses its allowed IP to the senior desk, so it is not applied anywhere
        InstancePlan eastPlan = planner.plan(east, List.of(desk, hq), secrets, new AllocationLedger(), nodes(NODE), List.of(west),
                Map.of(PlanFixtures.NS + "/west", List.of(branch)));
        assertThat(condition(planOf(eastPlan, "hq"), ConditionTypes.VALID).reason()).isEqualTo(Reasons.ALLOWED_IP_TAKEN);
        VpnPeer hqAsWritten = PlanFixtures.withStatuses(eastPlan, clock).stream()
                .filter(p -> p.getMetadata().getName().equals("hq")).findFirst().orElseThrow();

        PeerPlan branchPlan = planOf(plan(west, branch, east, hqAsWritten), "branch");
        assertThat(condition(branchPlan, ConditionTypes.VALID).status()).isEqualTo(Conditions.TRUE);
        assertThat(branchPlan.valid()).isTrue();

        // the desk goes: hq wins in east again, and then holds its subnet against the younger branch
        InstancePlan eastAgain = planner.plan(east, List.of(hqAsWritten), secrets, new AllocationLedger(), nodes(NODE), List.of(west),
                Map.of(PlanFixtures.NS + "/west", List.of(branch)));
        VpnPeer hqValid = PlanFixtures.withStatuses(eastAgain, clock).get(0);
        assertThat(condition(planOf(eastAgain, "hq"), ConditionTypes.VALID).status()).isEqualTo(Conditions.TRUE);
        assertThat(condition(planOf(plan(west, branch, east, hqValid), "branch"), ConditionTypes.VALID).reason())
                .isEqualTo(Reasons.ALLOWED_IP_TAKEN);
    }

    @Test
    void aSiteOfANamespaceItsInstanceDoesNotAdmitClaimsNoSubnetOnTheNodeEvenBeforeItsOwnPlanRan() {
        VpnPeer intruder = peer("team-x", "grab", 10, site("10.50.0.0/16"));
        intruder.getSpec().setInstanceRef(new InstanceRef("east", PlanFixtures.NS));
        VpnPeer younger = siteOf(west, "branch", 20, "10.50.1.0/24");

        PeerPlan branch = planOf(plan(west, younger, east, intruder), "branch");

        assertThat(condition(branch, ConditionTypes.VALID).status()).isEqualTo(Conditions.TRUE);
    }

    @Test
    void sitesOfAnInstanceWithAnInvalidSpecClaimNoSubnetOnTheNode() {
        east.getSpec().setAddress(List.of("not-a-cidr"));
        VpnPeer older = siteOf(east, "hq", 10, "10.50.0.0/16");
        VpnPeer younger = siteOf(west, "branch", 20, "10.50.1.0/24");

        assertThat(condition(planOf(plan(west, younger, east, older), "branch"), ConditionTypes.VALID).status())
                .isEqualTo(Conditions.TRUE);
    }

    @Test
    void instancesOnDifferentNodesMayRouteTheSameSubnet() {
        west.getSpec().setNodeName("elsewhere");
        VpnPeer older = siteOf(east, "hq", 10, "10.50.0.0/16");
        VpnPeer younger = siteOf(west, "branch", 20, "10.50.1.0/24");

        assertThat(condition(planOf(plan(west, younger, east, older), "branch"), ConditionTypes.VALID).status())
                .isEqualTo(Conditions.TRUE);
    }

    @Test
    void aDualStackPeerThatLosesItsRecordedIpv4KeepsItsIpv6() {
        VpnInstance dual = instance("dual", 0, "10.24.0.1/24", "fd00:24::1/64");
        VpnPeer junior = peer("junior", 20);
        AllocationLedger ledger = new AllocationLedger();
        ledger.record(junior.getMetadata().getUid(), List.of("10.24.0.7/32", "fd00:24::7/128"));
        VpnPeer senior = peer("senior", 10, allowed("10.24.0.7/32"));

        PeerPlan plan = planOf(planner.plan(dual, List.of(senior, junior), secrets, ledger, nodes(NODE), List.of()), "junior");

        assertThat(condition(plan, ConditionTypes.VALID).status()).isEqualTo(Conditions.TRUE);
        assertThat(plan.allowedIPs()).contains("fd00:24::7/128").doesNotContain("10.24.0.7/32").hasSize(2);
    }
}
