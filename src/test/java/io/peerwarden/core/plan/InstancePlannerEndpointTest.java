package io.peerwarden.core.plan;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.condition;
import static io.peerwarden.core.plan.PlanFixtures.config;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceStatus;
import io.peerwarden.core.status.ConditionState;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An instance without spec.endpoint: derived from its node's addresses, or EndpointUnknown, never an exception. */
class InstancePlannerEndpointTest {

    private final InstancePlanner planner = new InstancePlanner(new PlanFixtures.FakeKeys());

    private InstancePlan plan(VpnInstance instance, NodeInfo node) {
        return planner.plan(instance, List.of(peer("alice", 1), peer("bob", 2)), new PlanFixtures.FakeSecrets(),
                new AllocationLedger(), List.of(node), List.of());
    }

    private static VpnInstance withoutEndpoint(Integer listenPort) {
        VpnInstance instance = instance("10.24.0.1/24");
        instance.getSpec().setEndpoint(null);
        instance.getSpec().setListenPort(listenPort);
        return instance;
    }

    private static String statusEndpoint(InstancePlan plan) {
        return plan.applyTo(new VpnInstanceStatus(), 1L, null, Clock.systemUTC()).getEndpoint();
    }

    @Test
    void externalIpWithTheListenPortIsTheEndpoint() {
        InstancePlan plan = plan(withoutEndpoint(51900), new NodeInfo(NODE, Map.of(), "203.0.113.7", "10.0.0.7"));

        assertThat(plan.usable()).isTrue();
        assertThat(statusEndpoint(plan)).isEqualTo("203.0.113.7:51900");
        assertThat(config(planOf(plan, "alice"))).contains("Endpoint = 203.0.113.7:51900\n");
        assertThat(config(planOf(plan, "bob"))).contains("Endpoint = 203.0.113.7:51900\n");
    }

    @Test
    void internalIpWhenTheNodeHasNoExternalIpIPv6InBracketsDefaultPort() {
        InstancePlan plan = plan(withoutEndpoint(null), new NodeInfo(NODE, Map.of(), null, "fd00:10::7"));

        assertThat(statusEndpoint(plan)).isEqualTo("[fd00:10::7]:51830");
        assertThat(config(planOf(plan, "alice"))).contains("Endpoint = [fd00:10::7]:51830\n");
    }

    @Test
    void specEndpointWinsAndIsShownWithItsPort() {
        InstancePlan plan = plan(instance("10.24.0.1/24"), new NodeInfo(NODE, Map.of(), "203.0.113.7", null));

        assertThat(statusEndpoint(plan)).isEqualTo("vpn.example.com:51830");
        assertThat(config(planOf(plan, "alice"))).contains("Endpoint = vpn.example.com:51830\n");
    }

    @Test
    void nodeWithoutAddressesIsEndpointUnknownAndPeersSaySo() {
        InstancePlan plan = plan(withoutEndpoint(51830), new NodeInfo(NODE, Map.of(), null, null));

        assertThat(plan.usable()).isFalse();
        assertThat(plan.problem().type()).isEqualTo(ConditionTypes.READY);
        assertThat(plan.problem().reason()).isEqualTo(Reasons.ENDPOINT_UNKNOWN);
        assertThat(plan.problem().message()).contains("spec.endpoint").contains(NODE);
        assertThat(statusEndpoint(plan)).isNull();
        for (String name : List.of("alice", "bob")) {
            PeerPlan peer = planOf(plan, name);
            assertThat(peer.secret()).isNull();
            ConditionState notReady = peer.conditions().stream().filter(c -> Reasons.INSTANCE_NOT_READY.equals(c.reason()))
                    .findFirst().orElseThrow(() -> new AssertionError("no InstanceNotReady in " + peer.conditions()));
            assertThat(notReady.message()).contains("spec.endpoint is not set");
        }
        assertThat(condition(planOf(plan, "alice"), ConditionTypes.CONFIG_RENDERED).status()).isEqualTo("False");
    }

    @Test
    void nodeInfoTakesTheFirstExternalAndInternalAddressOfTheNode() {
        NodeInfo node = NodeInfo.of(new NodeBuilder().withNewMetadata().withName("n1").endMetadata()
                .withNewStatus()
                .addNewAddress().withType("Hostname").withAddress("n1").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("10.0.0.1").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("10.0.0.2").endAddress()
                .addNewAddress().withType("ExternalIP").withAddress("198.51.100.1").endAddress()
                .endStatus().build());

        assertThat(node.externalIP()).isEqualTo("198.51.100.1");
        assertThat(node.internalIP()).isEqualTo("10.0.0.1");
        assertThat(node.dialAddress()).isEqualTo("198.51.100.1");
        assertThat(NodeInfo.of(new NodeBuilder().withNewMetadata().withName("bare").endMetadata().build()).dialAddress()).isNull();
    }
}
