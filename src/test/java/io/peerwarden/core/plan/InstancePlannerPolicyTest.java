package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.policy.InstallPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.condition;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static io.peerwarden.core.plan.PlanFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

/** The install policy as users of instances and site peers meet it. */
class InstancePlannerPolicyTest {

    private final PlanFixtures.FakeSecrets secrets = new PlanFixtures.FakeSecrets();
    private final List<NodeInfo> nodes = List.of(
            new NodeInfo("a-worker", Map.of("zone", "z1"), null, "10.0.0.3", List.of()),
            new NodeInfo(NODE, Map.of("gateway", "true", "zone", "z1"), "203.0.113.7", null, List.of("10.244.1.0/24")),
            new NodeInfo("worker-2", Map.of(), null, "10.0.0.2", List.of("10.244.2.0/24")));

    private InstancePlan plan(InstancePlanner planner, VpnInstance instance, List<VpnPeer> peers) {
        return planner.plan(instance, peers, secrets, new AllocationLedger(), nodes, List.of());
    }

    private InstancePlan plan(VpnInstance instance, List<VpnPeer> peers) {
        return plan(new InstancePlanner(new PlanFixtures.FakeKeys()), instance, peers);
    }

    @Test
    void metadataIpAsASiteSubnetIsRejectedAndTheOtherPeersKeepWorking() {
        InstancePlan plan = plan(instance("10.24.0.1/24"), List.of(peer("metadata", 1, site("169.254.169.254/32")),
                peer("fine", 2, site("10.50.0.0/24")), peer("alice", 3)));

        PeerPlan metadata = planOf(plan, "metadata");
        assertThat(metadata.valid()).isFalse();
        assertThat(metadata.secret()).isNull();
        assertThat(condition(metadata, ConditionTypes.VALID).reason()).isEqualTo(Reasons.SUBNET_NOT_ALLOWED);
        assertThat(condition(metadata, ConditionTypes.VALID).message()).contains("169.254.169.254/32").contains("169.254.0.0/16")
                .contains("link-local");
        assertThat(planOf(plan, "fine").valid()).isTrue();
        assertThat(planOf(plan, "alice").valid()).isTrue();
        assertThat(plan.usable()).isTrue();
    }

    @Test
    void anotherNodesPodNetworkAsASiteSubnetIsRejected() {
        InstancePlan plan = plan(instance("10.24.0.1/24"), List.of(peer("pods", 1, site("10.244.2.0/25"))));

        assertThat(condition(planOf(plan, "pods"), ConditionTypes.VALID).reason()).isEqualTo(Reasons.SUBNET_NOT_ALLOWED);
        assertThat(condition(planOf(plan, "pods"), ConditionTypes.VALID).message()).contains("worker-2").contains("spec.podCIDRs");
    }

    @Test
    void aRejectedSiteClaimsNoSubnetSoAnotherPeerMayUseIt() {
        // 10.96.0.0/12 is the service network: the denied senior must not keep 10.96.0.0/24 from anyone; a junior asking
        // for the same network is refused by the policy as well, not by a collision with the rejected peer
        InstancePlan plan = plan(instance("10.24.0.1/24"), List.of(peer("senior", 1, site("10.96.0.0/24")),
                peer("junior", 2, site("10.96.0.0/25"))));

        assertThat(condition(planOf(plan, "junior"), ConditionTypes.VALID).reason()).isEqualTo(Reasons.SUBNET_NOT_ALLOWED);
    }

    @Test
    void anInterfaceNameWithoutThePrefixIsRefused() {
        VpnInstance cni = instance("10.24.0.1/24");
        cni.getSpec().setInterfaceName("cni0");

        InstancePlan plan = plan(cni, List.of(peer("alice", 1)));

        assertThat(plan.usable()).isFalse();
        assertThat(plan.accepted().reason()).isEqualTo(Reasons.INTERFACE_NAME_NOT_ALLOWED);
        assertThat(plan.accepted().message()).contains("cni0").contains("policy.interfacePrefix");
    }

    @Test
    void calicosPortIsRefused() {
        VpnInstance calico = instance("10.24.0.1/24");
        calico.getSpec().setListenPort(51820);

        InstancePlan plan = plan(calico, List.of());

        assertThat(plan.accepted().reason()).isEqualTo(Reasons.LISTEN_PORT_NOT_ALLOWED);
        assertThat(plan.accepted().message()).contains("51820").contains("51830-51929");
    }

    @Test
    void aNodeThePolicyDoesNotAllowIsRefusedAndASelectorSkipsIt() {
        InstancePlanner gatewaysOnly = new InstancePlanner(new PlanFixtures.FakeKeys(),
                new InstallPolicy(Map.of("gateway", "true"), null, null, null, null, null, null));
        VpnInstance onWorker = instance("10.24.0.1/24");
        onWorker.getSpec().setNodeName("worker-2");

        InstancePlan refused = plan(gatewaysOnly, onWorker, List.of());
        assertThat(refused.accepted().reason()).isEqualTo(Reasons.NODE_NOT_ALLOWED);
        assertThat(refused.accepted().message()).contains("worker-2").contains("policy.nodeSelector");

        VpnInstance anyNode = instance("10.24.0.1/24");
        anyNode.getSpec().setNodeName(null);
        anyNode.getSpec().setNodeSelector(Map.of("zone", "z1"));
        assertThat(plan(gatewaysOnly, anyNode, List.of()).nodeName()).as("a-worker matches first but is not allowed").isEqualTo(NODE);
        assertThat(plan(anyNode, List.of()).nodeName()).as("without the policy").isEqualTo("a-worker");
        assertThat(plan(instance("10.24.0.1/24"), List.of()).accepted().status()).isEqualTo("True");
    }
}
