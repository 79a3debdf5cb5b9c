package io.peerwarden.core.plan;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.allowed;
import static io.peerwarden.core.plan.PlanFixtures.config;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceStatus;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InstancePlannerNodeAndRenderTest {

    private final InstancePlanner planner = new InstancePlanner(new PlanFixtures.FakeKeys());

    private InstancePlan plan(VpnInstance instance, List<NodeInfo> nodes, List<VpnInstance> others, VpnPeer... peers) {
        return planner.plan(instance, List.of(peers), new PlanFixtures.FakeSecrets(), new AllocationLedger(), nodes, others);
    }

    @Nested
    class NodeSelection {

        private final List<NodeInfo> cluster = List.of(
                new NodeInfo("node-c", Map.of("vpn", "yes")),
                new NodeInfo("node-a", Map.of("vpn", "no")),
                new NodeInfo("node-b", Map.of("vpn", "yes")));

        private VpnInstance selecting(String currentNode) {
            VpnInstance instance = instance("10.24.0.1/24");
            instance.getSpec().setNodeName(null);
            instance.getSpec().setNodeSelector(Map.of("vpn", "yes"));
            if (currentNode != null) {
                instance.setStatus(new VpnInstanceStatus());
                instance.getStatus().setNodeName(currentNode);
            }
            return instance;
        }

        @Test
        void nodeNameThatIsNoNodeIsNodeNotFoundAndPeersWait() {
            VpnInstance instance = instance("10.24.0.1/24");
            instance.getSpec().setNodeName("node-x");

            InstancePlan plan = plan(instance, nodes("node-a"), List.of(), peer("p", 1));

            assertThat(plan.usable()).isFalse();
            assertThat(plan.problem().reason()).isEqualTo(Reasons.NODE_NOT_FOUND);
            assertThat(plan.problem().message()).contains("node-x");
            assertThat(planOf(plan, "p").valid()).isFalse();
        }

        @Test
        void nodeSelectorPicksTheFirstMatchingNodeByName() {
            assertThat(plan(selecting(null), cluster, List.of()).nodeName()).isEqualTo("node-b");
        }

        @Test
        void nodeSelectorStaysOnTheCurrentNodeWhileItStillMatches() {
            assertThat(plan(selecting("node-c"), cluster, List.of()).nodeName()).isEqualTo("node-c");
        }

        @Test
        void nodeSelectorMovesWhenTheCurrentNodeNoLongerMatches() {
            assertThat(plan(selecting("node-a"), cluster, List.of()).nodeName()).isEqualTo("node-b");
        }

        @Test
        void nodeSelectorMatchingNothingIsNodeNotFound() {
            VpnInstance instance = selecting(null);
            instance.getSpec().setNodeSelector(Map.of("vpn", "maybe"));

            InstancePlan plan = plan(instance, cluster, List.of());

            assertThat(plan.usable()).isFalse();
            assertThat(plan.problem().reason()).isEqualTo(Reasons.NODE_NOT_FOUND);
        }

        @Test
        void poolOverlapWithAnOlderInstanceOnTheSameNodeBlocksOnlyTheYoungerOne() {
            VpnInstance older = instance("older", 1, "10.24.0.1/16");
            VpnInstance younger = instance("younger", 2, "10.24.5.1/24");

            InstancePlan youngerPlan = plan(younger, nodes(NODE), List.of(older));
            InstancePlan olderPlan = plan(older, nodes(NODE), List.of(younger));

            assertThat(youngerPlan.usable()).isFalse();
            assertThat(youngerPlan.problem().reason()).isEqualTo(Reasons.POOL_OVERLAP);
            assertThat(youngerPlan.problem().message()).contains("vpn/older");
            assertThat(olderPlan.usable()).isTrue();
        }

        @Test
        void poolOverlapOnDifferentNodesIsNoProblem() {
            VpnInstance older = instance("older", 1, "10.24.0.1/24");
            older.getSpec().setNodeName("node-b");
            VpnInstance younger = instance("younger", 2, "10.24.0.1/24");

            assertThat(plan(younger, nodes(NODE, "node-b"), List.of(older)).usable()).isTrue();
        }

        @Test
        void overlapWithAnOlderInstancePlacedOnTheSameNodeBySelectorCounts() {
            VpnInstance older = instance("older", 1, "fd00:24::1/64");
            older.getSpec().setNodeName(null);
            older.getSpec().setNodeSelector(Map.of("vpn", "yes"));
            older.setStatus(new VpnInstanceStatus());
            older.getStatus().setNodeName(NODE);
            VpnInstance younger = instance("younger", 2, "10.9.0.1/24", "fd00:24::1:1/112");

            InstancePlan plan = plan(younger, nodes(NODE), List.of(older));

            assertThat(plan.problem().reason()).isEqualTo(Reasons.POOL_OVERLAP);
        }
    }

    @Nested
    class Rendering {

        private final VpnInstance instance = defaults(instance("10.24.0.1/24", "fd00:24::1/64"));

        private VpnInstance defaults(VpnInstance instance) {
            instance.getSpec().setDns(List.of("10.24.0.1"));
            instance.getSpec().setMtu(1420);
            instance.getSpec().setPersistentKeepalive(25);
            return instance;
        }

        private String render(VpnInstance instance, Consumer<VpnPeerSpec> spec) {
            InstancePlan plan = plan(instance, nodes(NODE), List.of(), peer("p", 1, spec));
            return config(planOf(plan, "p"));
        }

        @Test
        void clientRoutesTheInstanceNetworksByDefault() {
            assertThat(render(instance, s -> { })).contains("AllowedIPs = 10.24.0.0/24, fd00:24::/64\n");
        }

        @Test
        void routeAllRoutesEverything() {
            assertThat(render(instance, s -> s.setRouteAll(true))).contains("AllowedIPs = 0.0.0.0/0, ::/0\n");
        }

        @Test
        void endpointAllowedIPsOverrideTheRoutes() {
            assertThat(render(instance, s -> s.setEndpointAllowedIPs(List.of("10.24.0.0/24", "192.168.0.0/16"))))
                    .contains("AllowedIPs = 10.24.0.0/24, 192.168.0.0/16\n");
        }

        @Test
        void instanceDefaultsApplyWhenThePeerSetsNone() {
            assertThat(render(instance, s -> { }))
                    .contains("DNS = 10.24.0.1\n").contains("MTU = 1420\n").contains("PersistentKeepalive = 25\n");
        }

        @Test
        void peerDnsMtuAndKeepaliveOverrideTheInstanceDefaults() {
            String config = render(instance, s -> {
                s.setDns(List.of("1.1.1.1", "example.org"));
                s.setMtu(1380);
                s.setPersistentKeepalive(0);
            });

            assertThat(config).contains("DNS = 1.1.1.1, example.org\n").contains("MTU = 1380\n")
                    .doesNotContain("PersistentKeepalive").doesNotContain("10.24.0.1\n");
        }

        @Test
        void configCarriesThePeerAddresses() {
            assertThat(render(instance, allowed("10.24.0.9/32"))).contains("Address = 10.24.0.9/32\n");
        }

        @ParameterizedTest(name = "{0} with listenPort {1} -> {2}")
        @CsvSource({
                "vpn.example.com, 51830, vpn.example.com:51830",
                "vpn.example.com, 51901, vpn.example.com:51901",
                "vpn.example.com:1194, 51830, vpn.example.com:1194",
                "203.0.113.7, 51845, 203.0.113.7:51845",
                "203.0.113.7:500, 51845, 203.0.113.7:500",
                "[fd00::1], 51830, [fd00::1]:51830",
                "[fd00::1]:443, 51830, [fd00::1]:443",
        })
        void endpointGetsTheListenPortWhenItHasNone(String endpoint, int listenPort, String expected) {
            VpnInstance withEndpoint = defaults(instance("10.24.0.1/24"));
            withEndpoint.getSpec().setEndpoint(endpoint);
            withEndpoint.getSpec().setListenPort(listenPort);

            assertThat(render(withEndpoint, s -> { })).contains("Endpoint = " + expected + "\n");
        }
    }
}
