package io.peerwarden.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.operator.OperatorHarness;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.ship.ChartRbac;
import io.peerwarden.ship.ChartRenderer;
import io.peerwarden.ship.RecordedApiCalls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.decoded;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole product, end to end: the real operator (against the CRUD mock) plans an instance, a
 * client and a site; the real agent applies the instance in a "server" network namespace; the
 * client config the operator rendered into the peer's Secret is brought up in a "client"
 * namespace; traffic crosses the tunnel, and the statuses say so — Ready (what
 * {@code kubectl wait --for=condition=Ready} waits for), connected, handshake, bytes.
 */
class OperatorAgentEndToEndIT {

    static final String AGENT_USER_AGENT = "peerwarden-agent-test";

    @RegisterExtension
    final DataplaneFixture dataplane = new DataplaneFixture();
    private OperatorHarness harness;
    private NetNs server;

    @BeforeEach
    void setUp() {
        // node keys in the release namespace, as the chart deploys both
        harness = dataplane.add(new OperatorHarness().startOperator(OperatorSettings.forTests().withReleaseNamespace(ChartRenderer.NAMESPACE)));
        server = dataplane.netns("pwesrv");
    }

    private void startAgent(String node) {
        KubernetesClient agentClient = dataplane.add(harness.cluster.client(AGENT_USER_AGENT));
        dataplane.startAgent(agentClient, server, node, Set.of(OperatorHarness.NS), ChartRenderer.NAMESPACE);
    }

    private VpnPeer ready(String name) {
        return harness.awaitPeer(name, condition(ConditionTypes.READY, Conditions.TRUE, Reasons.READY));
    }

    @Test
    void aClientPingsThroughItsRenderedConfigAndTheSiteSubnetIsRouted() throws IOException {
        NetNs client = dataplane.netns("pwecli");
        NetNs site = dataplane.netns("pwesite");
        server.veth("ec0", "10.96.0.1/24", client, "ec1", "10.96.0.2/24");
        server.veth("es0", "10.97.0.1/24", site, "es1", "10.97.0.2/24");
        site.exec("ip", "address", "add", "10.83.0.1/32", "dev", "lo"); // a host on the site's network

        VpnInstance office = instance("office", "10.82.0.1/24");
        office.getSpec().setInterfaceName(DataplaneFixture.interfaceName("pwe"));
        office.getSpec().setEndpoint("10.96.0.1");
        office.getSpec().setListenPort(51850);
        harness.create(office);
        harness.create(peer("laptop", "office", "client"));
        VpnPeer branch = peer("branch", "office", "site");
        branch.getSpec().setSubnets(List.of("10.83.0.0/24"));
        branch.getSpec().setEndpoint("10.97.0.2:51851");
        branch.getSpec().setPersistentKeepalive(5);
        harness.create(branch);
        startAgent("worker-1");

        VpnPeer laptop = ready("laptop");
        VpnPeer site1 = ready("branch");
        VpnInstance applied = harness.awaitInstance("office", i -> i.getStatus() != null
                && Conditions.isTrue(i.getStatus().getConditions(), ConditionTypes.READY));
        assertThat(applied.getStatus().getImplementation()).isIn("kernel", "userspace");
        assertThat(laptop.getStatus().getObservedGeneration()).isEqualTo(laptop.getMetadata().getGeneration());

        dataplane.bringUpClient(client, DataplaneFixture.interfaceName("pwc"), decoded(harness.secret("laptop-wireguard").orElseThrow(), Labels.CONFIG));
        String siteConfig = decoded(harness.secret("branch-wireguard").orElseThrow(), Labels.CONFIG)
                .replace("[Interface]", "[Interface]\nListenPort = 51851");
        dataplane.bringUpClient(site, DataplaneFixture.interfaceName("pwx"), siteConfig);

        String serverAddress = "10.82.0.1";
        await().atMost(Duration.ofSeconds(20)).until(() -> client.execResult("ping", "-c", "1", "-W", "1", serverAddress).ok());
        client.exec("ping", "-c", "3", "-i", "0.2", "-W", "1", serverAddress);
        await().atMost(Duration.ofSeconds(20)).until(() -> server.execResult("ping", "-c", "1", "-W", "1", "10.83.0.1").ok());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            VpnPeer now = harness.peer("laptop");
            assertThat(now.getStatus().getConnected()).isTrue();
            assertThat(now.getStatus().getConnectedFrom()).startsWith("10.96.0.2:");
            assertThat(now.getStatus().getLatestHandshake()).isNotNull();
            assertThat(now.getStatus().getTransfer().getReceiveBytes()).isPositive();
            assertThat(now.getStatus().getTransfer().getSentBytes()).isPositive();
            assertThat(Conditions.isTrue(now.getStatus().getConditions(), ConditionTypes.CONNECTED)).isTrue();
            assertThat(Conditions.isTrue(now.getStatus().getConditions(), ConditionTypes.READY)).isTrue();
            // the operator's part survived the agent's writes
            assertThat(now.getStatus().getAllowedIPs()).isEqualTo(laptop.getStatus().getAllowedIPs());
            assertThat(Conditions.isTrue(now.getStatus().getConditions(), ConditionTypes.CONFIG_RENDERED)).isTrue();
            VpnPeer siteNow = harness.peer("branch");
            assertThat(siteNow.getStatus().getConnected()).isTrue();
            assertThat(siteNow.getStatus().getConnectedFrom()).isEqualTo("10.97.0.2:51851");
        });
        assertThat(site1.getStatus().getAllowedIPs()).hasSize(1);
        harness.awaitInstance("office", i -> i.getStatus().getPeers() != null && i.getStatus().getPeers().getConnected() == 2
                && i.getStatus().getPeers().getReady() == 2);
    }

    @Test
    void theAgentsRecordedCallsAreExactlyWhatTheChartGrantsIt() {
        VpnInstance office = instance("office", "10.82.0.1/24");
        office.getSpec().setInterfaceName(DataplaneFixture.interfaceName("pwe"));
        harness.create(office);
        harness.create(peer("laptop", "office", "client"));
        VpnPeer restricted = peer("paused", "office", "client");
        restricted.getSpec().setRestricted(true);
        harness.create(restricted);
        // wg cannot resolve this endpoint (and, inside the namespace, cannot ask anyone): WgSetFailed
        VpnPeer broken = peer("broken", "office", "site");
        broken.getSpec().setEndpoint("nonexistent.invalid:51820");
        harness.create(broken);
        startAgent("worker-1");
        ready("laptop");
        harness.awaitPeer("paused", condition(ConditionTypes.APPLIED, Conditions.FALSE, Reasons.RESTRICTED));
        harness.awaitPeer("broken", condition(ConditionTypes.APPLIED, Conditions.FALSE, Reasons.WG_SET_FAILED));
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.admin.events().v1().events().inNamespace(OperatorHarness.NS)
                .list().getItems().stream().anyMatch(e -> Reasons.WG_SET_FAILED.equals(e.getReason())
                        && "broken".equals(e.getRegarding().getName()) && e.getNote().contains("nonexistent.invalid")));
        harness.admin.resources(VpnPeer.class).inNamespace(OperatorHarness.NS).withName("laptop").delete();
        harness.admin.resources(VpnInstance.class).inNamespace(OperatorHarness.NS).withName("office").delete();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !server.execResult("ip", "link", "show", "dev", office.getSpec().getInterfaceName()).ok());

        List<ChartRbac.Request> requests = harness.cluster.requests().calls().stream()
                .filter(c -> AGENT_USER_AGENT.equals(c.userAgent()))
                .map(RecordedApiCalls::toRequest).flatMap(Optional::stream).toList();
        ChartRbac rbac = ChartRbac.of((String) null);
        assertThat(requests).isNotEmpty()
                .allSatisfy(r -> assertThat(rbac.allows("peerwarden-agent", r)).as(r.toString()).isTrue());
        // by request, so the node keys' Role in the release namespace counts as used by requests there
        Set<String> neverUsed = new TreeSet<>(rbac.unusedBy("peerwarden-agent", requests));
        // get: the re-read after a 409 on a status write; only on that path
        neverUsed.removeAll(Set.of("get vpn.peerwarden.io/vpninstances @*", "get vpn.peerwarden.io/vpnpeers @*"));
        assertThat(neverUsed).as("granted to the agent but never used").isEmpty();
        assertThat(requests).filteredOn(r -> r.resource().equals("secrets")).as("the agent's Secret requests").isNotEmpty()
                .allSatisfy(r -> assertThat(r.namespace()).isEqualTo(ChartRenderer.NAMESPACE));
    }
}
