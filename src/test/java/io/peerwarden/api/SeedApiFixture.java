package io.peerwarden.api;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.plan.KeySource;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.operator.PeerwardenOperator;
import io.peerwarden.operator.webhook.AdmissionServer;
import io.peerwarden.operator.webhook.AdmissionWebhook;
import io.peerwarden.operator.webhook.WebhookTls;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.RealCluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * The seed API on the shared real cluster: a namespace of its own, the operator with its admission webhook (so a
 * colliding write is refused by the API server as for kubectl), the API running as a ServiceAccount with the chart's
 * rules, and ServiceAccount tokens minted with {@code kubectl create token} for callers with different RBAC.
 */
final class SeedApiFixture implements AutoCloseable {

    static final String NODE = "worker-1";
    static final Duration PATIENCE = Duration.ofSeconds(60);
    /** The chart's rules for the API's ServiceAccount (ChartApiTest checks the chart renders exactly these). */
    static final List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> API_RULES = List.of(
            new PolicyRuleBuilder().withApiGroups("authentication.k8s.io").withResources("tokenreviews").withVerbs("create").build(),
            new PolicyRuleBuilder().withApiGroups("authorization.k8s.io").withResources("subjectaccessreviews").withVerbs("create").build(),
            new PolicyRuleBuilder().withApiGroups("vpn.peerwarden.io").withResources("vpninstances", "vpnpeers")
                    .withVerbs("get", "list", "watch").build());
    /** The chart's rules with {@code api.shareLinks}: also get and delete on Secrets (ChartApiTest checks these too). */
    static final List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> API_RULES_WITH_SHARE_LINKS = java.util.stream.Stream.concat(
            API_RULES.stream(), java.util.stream.Stream.of(new PolicyRuleBuilder().withApiGroups("").withResources("secrets")
                    .withVerbs("get", "delete").build())).toList();

    final RealCluster cluster;
    final KubernetesClient admin;
    final String ns;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Closer closer = new Closer();
    private final String webhookConfiguration;
    SeedApi api;
    /** The API's ServiceAccount, once {@link #startApi} made it. */
    KubernetesClient apiClient;

    SeedApiFixture(String prefix) {
        cluster = RealCluster.shared();
        cluster.ensureNode(NODE, Map.of("kubernetes.io/hostname", NODE), Map.of("InternalIP", "192.0.2.10"));
        admin = cluster.admin();
        ns = cluster.createNamespace(prefix);
        webhookConfiguration = "peerwarden-seedapi-" + ns;
    }

    /** The operator watching this namespace, with its webhook registered for this namespace only. */
    void startOperator() throws IOException {
        int port = freePort();
        admin.admissionRegistration().v1().validatingWebhookConfigurations().resource(new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata().withName(webhookConfiguration).endMetadata()
                .addNewWebhook().withName("vpnpeers.vpn.peerwarden.io")
                .withNewClientConfig().withUrl("https://127.0.0.1:" + port + AdmissionServer.PEER_PATH).endClientConfig()
                .addNewRule().withApiGroups("vpn.peerwarden.io").withApiVersions("*").withResources("vpnpeers")
                .withOperations("CREATE", "UPDATE").withScope("Namespaced").endRule()
                .withNamespaceSelector(new LabelSelectorBuilder().addToMatchLabels("kubernetes.io/metadata.name", ns).build())
                .withFailurePolicy("Ignore").withSideEffects("None").withAdmissionReviewVersions("v1").withTimeoutSeconds(5)
                .endWebhook().build()).create();
        OperatorSettings defaults = OperatorSettings.forTests();
        OperatorSettings settings = new OperatorSettings(Set.of(ns), false, null, -1, defaults.resync(), defaults.threads(),
                defaults.writeConcurrency()).withReleaseNamespace(ns);
        KubernetesClient client = closer.add(cluster.withUserAgent("peerwarden-operator"));
        closer.add(PeerwardenOperator.start(client, settings, Clock.systemUTC(), KeySource.random(),
                new AdmissionWebhook.Settings(port, "127.0.0.1", new WebhookTls.Settings(ns, "peerwarden-webhook-tls",
                        webhookConfiguration, List.of("127.0.0.1", "localhost"), Duration.ofDays(30), Duration.ofSeconds(1),
                        Duration.ofMinutes(1)), null)));
    }

    /** The API as the ServiceAccount peerwarden-api with the chart's ClusterRole. */
    SeedApi startApi(ConfigTokens tokens, Duration settle) {
        return startApi(API_RULES, client -> SeedApi.start(client, SeedApi.Settings.defaults(0, null).withSettle(settle), tokens));
    }

    /** The API started by {@code start} as the ServiceAccount peerwarden-api, whose ClusterRole has {@code rules}. */
    SeedApi startApi(List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules, java.util.function.Function<KubernetesClient, SeedApi> start) {
        String role = "peerwarden-api-" + ns;
        admin.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata().withName("peerwarden-api")
                .endMetadata().build()).create();
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(role).endMetadata()
                .withRules(rules).build()).create();
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(role).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
                .addNewSubject().withKind("ServiceAccount").withName("peerwarden-api").withNamespace(ns).endSubject().build()).create();
        KubernetesClient client = closer.add(cluster.asServiceAccount(ns, "peerwarden-api"));
        // RBAC caches settle within a moment of the binding
        await().atMost(PATIENCE).ignoreExceptions().until(() -> {
            client.resources(VpnPeer.class).inAnyNamespace().list();
            return true;
        });
        apiClient = client;
        api = closer.add(start.apply(client));
        return api;
    }

    /** Another API as the same ServiceAccount (after {@link #startApi}), closed with the fixture. */
    SeedApi startAnotherApi(java.util.function.Function<KubernetesClient, SeedApi> start) {
        return closer.add(start.apply(apiClient));
    }

    /** Binds the ServiceAccount {@code name} of this namespace to a Role of its own with {@code rules}. */
    void grant(String name, io.fabric8.kubernetes.api.model.rbac.PolicyRule... rules) {
        String role = name + "-extra";
        admin.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName(role).endMetadata()
                .withRules(rules).build()).create();
        admin.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata().withName(role).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", role)
                .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(ns).endSubject().build()).create();
    }

    /** A ServiceAccount of this namespace with the given verbs on vpnpeers (and get on vpninstances), and a token for it. */
    String tokenFor(String name, String... peerVerbs) {
        admin.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata().withName(name)
                .endMetadata().build()).create();
        if (peerVerbs.length > 0) {
            admin.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName(name).endMetadata()
                    .addNewRule().withApiGroups("vpn.peerwarden.io").withResources("vpnpeers").withVerbs(peerVerbs).endRule()
                    .addNewRule().withApiGroups("vpn.peerwarden.io").withResources("vpninstances").withVerbs("get", "list").endRule()
                    .build()).create();
            admin.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata().withName(name).endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
                    .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(ns).endSubject().build()).create();
        }
        return cluster.kubectl("create", "token", name, "-n", ns, "--duration=1h").orFail().stdout().strip();
    }

    <T extends io.fabric8.kubernetes.api.model.HasMetadata> T create(T resource) {
        resource.getMetadata().setNamespace(ns);
        return admin.resource(resource).create();
    }

    VpnPeer peer(String name) {
        return admin.resources(VpnPeer.class).inNamespace(ns).withName(name).get();
    }

    VpnPeer awaitPeer(String name, Predicate<VpnPeer> condition) {
        return await().atMost(PATIENCE).until(() -> peer(name), p -> p != null && condition.test(p));
    }

    URI uri(String path) {
        return uri(api, path);
    }

    static URI uri(SeedApi target, String path) {
        return URI.create("http://127.0.0.1:" + target.port() + path);
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws IOException, InterruptedException {
        return send(api, method, path, token, body);
    }

    HttpResponse<String> send(SeedApi target, String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(target, path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (Exception e) {
            // best effort
        }
        admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(webhookConfiguration).delete();
        admin.rbac().clusterRoleBindings().withName("peerwarden-api-" + ns).delete();
        admin.rbac().clusterRoles().withName("peerwarden-api-" + ns).delete();
        cluster.deleteNamespace(ns);
    }
}
