package io.peerwarden.operator;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.testing.MockCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static io.peerwarden.operator.OperatorHarness.NS;
import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The main scenario against a real kube-apiserver (fabric8 kube-api-test), where the generated
 * CRDs' schema and CEL rules are enforced. kube-api-test downloads the apiserver and etcd
 * binaries; where that is impossible (no internet, as on the project's CI machine) the test is
 * skipped with the reason, and it runs wherever a developer has the binaries or internet.
 */
class RealApiServerIT {

    private static KubeAPIServer apiServer;
    private static KubernetesClient client;
    private static PeerwardenOperator operator;
    private static String skipReason;

    @BeforeAll
    static void startApiServer() throws Exception {
        try {
            apiServer = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig().withUpdateKubeConfig(false)
                    .withStartupTimeout(60_000).build());
            apiServer.start();
        } catch (RuntimeException e) {
            apiServer = null;
            skipReason = ("kube-api-test could not start a real API server here (its kube-apiserver/etcd binaries are absent and "
                    + "cannot be downloaded: " + e.getMessage() + "). The same scenario runs against the CRUD mock in "
                    + "ControlPlaneIntegrationTest; run this test where the binaries or internet are available.");
            System.err.println("SKIPPED RealApiServerIT: " + skipReason);
            return;
        }
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(apiServer.getKubeConfigYaml())).build();
        for (String file : new String[] {"vpninstances.vpn.peerwarden.io-v1.yml", "vpnpeers.vpn.peerwarden.io-v1.yml"}) {
            try (InputStream in = Files.newInputStream(MockCluster.GENERATED_CRDS.resolve(file))) {
                client.apiextensions().v1().customResourceDefinitions().load(in).create();
            }
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> client.resources(VpnPeer.class).inNamespace(NS).list() != null);
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata().build()).create();
        operator = PeerwardenOperator.start(client, OperatorSettings.forTests());
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        if (client != null) {
            client.close();
        }
        if (apiServer != null) {
            apiServer.stop();
        }
    }

    @BeforeEach
    void requireApiServer() {
        assumeTrue(apiServer != null, () -> skipReason);
    }

    private VpnPeer awaitPeer(String name, Predicate<VpnPeer> predicate) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> client.resources(VpnPeer.class).inNamespace(NS).withName(name).get(), p -> p != null && predicate.test(p));
    }

    @Test
    void mainScenarioOnARealApiServer() {
        client.resource(instance("office", "10.24.0.1/24", "fd00:24::1/64")).create();
        client.resource(peer("alice", "office", "client")).create();
        VpnPeer site = peer("branch", "office", "site");
        site.getSpec().setAllowedIPs(List.of("10.24.0.10/32"));
        site.getSpec().setSubnets(List.of("192.168.50.0/24"));
        client.resource(site).create();
        VpnPeer intruder = peer("intruder", "office", "client");
        intruder.getSpec().setAllowedIPs(List.of("10.24.0.10/32"));
        client.resource(intruder).create();

        assertThat(awaitPeer("alice", rendered()).getStatus().getAllowedIPs()).containsExactly("10.24.0.2/32", "fd00:24::2/128");
        awaitPeer("branch", rendered());
        awaitPeer("intruder", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.ALLOWED_IP_TAKEN));
        client.resources(VpnPeer.class).inNamespace(NS).withName("branch").delete();
        awaitPeer("intruder", rendered());
    }

    @Test
    void theApiServerRejectsWhatTheSchemaForbids() {
        VpnPeer clientWithSubnets = peer("bad-subnets", "office", "client");
        clientWithSubnets.getSpec().setSubnets(List.of("192.168.7.0/24"));
        assertThatThrownBy(() -> client.resource(clientWithSubnets).create())
                .isInstanceOf(KubernetesClientException.class).hasMessageContaining("spec.subnets applies only to site peers");
        VpnPeer badMtu = peer("bad-mtu", "office", "client");
        badMtu.getSpec().setMtu(100);
        assertThatThrownBy(() -> client.resource(badMtu).create()).isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("mtu");
        VpnPeer moved = client.resource(peer("mover", "office", "client")).create();
        moved.getSpec().getInstanceRef().setName("elsewhere");
        assertThatThrownBy(() -> client.resource(moved).update()).isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("immutable");
    }
}
