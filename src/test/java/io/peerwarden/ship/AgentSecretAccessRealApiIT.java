package io.peerwarden.ship;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.node.NodeKeys;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.RealCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On a real API server with the chart's RBAC applied, as the agent's ServiceAccount: it reads the keys published
 * for its node in the release namespace, and no other Secret (a peer's config Secret holds the client's private
 * key), whether the chart grants cluster-wide or per watched namespace.
 */
class AgentSecretAccessRealApiIT {

    private final Closer closer = new Closer();
    private RealCluster cluster;
    private KubernetesClient admin;
    private String namespace;

    @BeforeEach
    void setUp() {
        cluster = RealCluster.shared();
        admin = cluster.admin();
        namespace = cluster.createNamespace("agentsec");
        closer.add(() -> cluster.deleteNamespace(namespace));
    }

    @AfterEach
    void tearDown() {
        closer.close();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cluster-wide", "watched-namespace"})
    void theAgentsServiceAccountCannotReadAPeersConfigSecretButReadsItsNodesKeys(String scope) {
        String values = scope.equals("cluster-wide") ? null : "watchNamespaces: [" + namespace + "]\n";
        InstalledChartRbac chart = closer.add(InstalledChartRbac.install(cluster, values));
        String peerSecret = Labels.peerConfigSecretName("laptop");
        admin.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(peerSecret)
                .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.COMPONENT, Labels.COMPONENT_PEER_CONFIG))
                .endMetadata().addToData(Labels.PRIVATE_KEY, b64(WireGuardKeys.generatePrivateKey())).build()).create();
        String node = "agentsec-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> labels = new HashMap<>(NodeKeys.selector(node));
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        String nodeKeys = NodeKeys.secretName(node, UUID.randomUUID().toString(), 0);
        admin.secrets().inNamespace(ChartRenderer.NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(nodeKeys)
                .withLabels(labels).endMetadata().addToData(NodeKeys.peerEntry("p"), "").build()).create();
        closer.add(() -> admin.secrets().inNamespace(ChartRenderer.NAMESPACE).withName(nodeKeys).delete());
        String sa = chart.agentDaemonSet().getSpec().getTemplate().getSpec().getServiceAccountName();
        KubernetesClient agent = closer.add(cluster.asServiceAccount(ChartRenderer.NAMESPACE, sa));

        assertThat(admin.secrets().inNamespace(namespace).withName(peerSecret).get()).as("the Secret exists").isNotNull();
        assertForbidden(() -> agent.secrets().inNamespace(namespace).withName(peerSecret).get(), "get a peer's config Secret");
        assertForbidden(() -> agent.secrets().inNamespace(namespace).list(), "list Secrets in the peer's namespace");
        assertForbidden(() -> agent.secrets().inAnyNamespace().list(), "list Secrets cluster-wide");
        assertForbidden(() -> agent.secrets().inAnyNamespace().withLabels(NodeKeys.selector(node)).list(),
                "list node keys across all namespaces");

        assertThat(agent.secrets().inNamespace(ChartRenderer.NAMESPACE).withLabels(NodeKeys.selector(node)).list().getItems())
                .extracting(s -> s.getMetadata().getName()).containsExactly(nodeKeys);
        assertForbidden(() -> agent.secrets().inNamespace(ChartRenderer.NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName("forged").endMetadata().build()).create(), "create a Secret in the release namespace");
    }

    private static void assertForbidden(Runnable request, String what) {
        assertThatThrownBy(request::run).as(what).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getCode()).as(what).isEqualTo(403));
    }
}
