package io.peerwarden.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.operator.OperatorHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The OpenAPI document against the handlers: every documented path, method and status is produced by a real request
 * to the running API on the real API server, and every answer validates against the document's schema for that
 * status. The one documented status not produced is /readyz's 503 (only before the caches sync).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiContractRealApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode document = readDocument();
    private SeedApiFixture fx;
    private SeedApi broken;
    private String editor;
    private String reader;
    private VpnInstance office;
    private VpnPeer branch;
    private final Set<String> produced = new LinkedHashSet<>();
    private final List<String> violations = new ArrayList<>();

    private static JsonNode readDocument() {
        try {
            return JSON.readTree(SeedApi.openApiDocument());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    void start() {
        fx = new SeedApiFixture("openapi");
        // no operator: the API's answers do not depend on it, writes just find no verdict within the settle time
        office = fx.create(OperatorHarness.instance("office", "10.24.0.1/24"));
        VpnPeer site = OperatorHarness.peer("branch", "office", "site");
        site.getSpec().setSubnets(List.of("192.168.10.0/24"));
        site.getSpec().setPublicKey("HqcO7P6oLRPYaTCO8iBG/xYJMlSGD1NaMtp6koeY7hA=");
        branch = fx.create(site);
        fx.startApi(ConfigTokens.NONE, Duration.ofMillis(200));
        editor = fx.tokenFor("editor", "get", "update");
        reader = fx.tokenFor("reader", "get");
        broken = startApiWithoutAccessReviews();
    }

    /** An API whose ServiceAccount lost its subjectaccessreviews rule: every authorised request fails inside it (500). */
    private SeedApi startApiWithoutAccessReviews() {
        String name = "crippled-" + fx.ns;
        fx.admin.serviceAccounts().inNamespace(fx.ns).resource(new ServiceAccountBuilder().withNewMetadata().withName("crippled")
                .endMetadata().build()).create();
        fx.admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(name).endMetadata()
                .withRules(SeedApiFixture.API_RULES.stream().filter(r -> !r.getResources().contains("subjectaccessreviews")).toList())
                .build()).create();
        fx.admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
                .addNewSubject().withKind("ServiceAccount").withName("crippled").withNamespace(fx.ns).endSubject().build()).create();
        KubernetesClient client = fx.cluster.asServiceAccount(fx.ns, "crippled");
        await().atMost(SeedApiFixture.PATIENCE).ignoreExceptions().until(() -> {
            client.resources(VpnPeer.class).inAnyNamespace().list();
            return true;
        });
        return SeedApi.start(client, SeedApi.Settings.defaults(0, null).withSettle(Duration.ofMillis(200)), ConfigTokens.NONE);
    }

    @AfterAll
    void stop() {
        if (broken != null) {
            broken.close();
            fx.admin.rbac().clusterRoleBindings().withName("crippled-" + fx.ns).delete();
            fx.admin.rbac().clusterRoles().withName("crippled-" + fx.ns).delete();
        }
        if (fx != null) {
            fx.close();
        }
    }

    private String peerPath() {
        return "/vpn/instances/" + office.getMetadata().getUid() + "/peers/" + branch.getMetadata().getUid();
    }

    private static final String SETTINGS = "{\"id\": \"HqcO7P6oLRPYaTCO8iBG/xYJMlSGD1NaMtp6koeY7hA=\", \"mtu\": 1420}";

    @Test
    void everyDocumentedPathMethodAndStatusIsAnsweredAndMatchesItsSchema() throws Exception {
        String wg = "/api/updatePeerSettings/office";
        call(fx.api, "/vpn/instances/{instanceId}/peers/{peerId}", "get", peerPath(), editor, null);
        call(fx.api, "/vpn/instances/{instanceId}/peers/{peerId}", "get", peerPath(), null, null);
        call(fx.api, "/vpn/instances/{instanceId}/peers/{peerId}", "get", "/vpn/instances/x/peers/y", editor, null);
        call(broken, "/vpn/instances/{instanceId}/peers/{peerId}", "get", peerPath(), editor, null);
        String put = "/vpn/instances/{instanceId}/peers/{peerId}";
        await().atMost(SeedApiFixture.PATIENCE).until(() -> call(fx.api, put, "put", peerPath(), editor, "{\"subnets\": [\"192.168.11.0/24\"]}") == 200);
        call(fx.api, put, "put", peerPath(), editor, "{\"subnets\": [\"nope\"]}");
        call(fx.api, put, "put", peerPath(), null, "{}");
        call(fx.api, put, "put", peerPath(), reader, "{}");
        call(fx.api, put, "put", "/vpn/instances/x/peers/y", editor, "{}");
        call(fx.api, put, "put", peerPath(), editor, "[" + " ".repeat(70 * 1024) + "]");
        call(broken, put, "put", peerPath(), editor, "{}");
        String post = "/api/updatePeerSettings/{configName}";
        call(fx.api, post, "post", wg, editor, SETTINGS);
        call(fx.api, post, "post", wg, editor, "{\"id\": \"HqcO7P6oLRPYaTCO8iBG/xYJMlSGD1NaMtp6koeY7hA=\", \"mtu\": \"big\"}");
        call(fx.api, post, "post", wg, null, SETTINGS);
        call(fx.api, post, "post", wg, reader, SETTINGS);
        call(fx.api, post, "post", "/api/updatePeerSettings/nowhere", editor, SETTINGS);
        call(fx.api, post, "post", wg, editor, "[" + " ".repeat(70 * 1024) + "]");
        call(broken, post, "post", wg, editor, SETTINGS);
        call(fx.api, "/openapi.json", "get", "/openapi.json", null, null);
        call(fx.api, "/healthz", "get", "/healthz", null, null);
        call(fx.api, "/readyz", "get", "/readyz", null, null);

        Set<String> documented = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : List.of("get", "put", "post", "delete", "patch")) {
                path.getValue().path(method).path("responses").fieldNames().forEachRemaining(status ->
                        documented.add(method.toUpperCase() + " " + path.getKey() + " " + status));
            }
        }
        documented.remove("GET /readyz 503");
        assertThat(violations).as("answers that do not match the document").isEmpty();
        assertThat(produced).as("every documented answer is produced, and nothing undocumented").containsExactlyInAnyOrderElementsOf(documented);
        System.out.printf("openapi contract: %d documented answers produced, %d schema violations%n", produced.size(), violations.size());
    }

    private int call(SeedApi api, String template, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method.toUpperCase(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = fx.http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        String status = String.valueOf(response.statusCode());
        JsonNode documented = document.path("paths").path(template).path(method).path("responses").path(status);
        produced.add(method.toUpperCase() + " " + template + " " + status);
        if (documented.isMissingNode()) {
            violations.add(method + " " + path + ": undocumented status " + status);
            return response.statusCode();
        }
        Map.Entry<String, JsonNode> content = documented.path("content").fields().next();
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith(content.getKey())) {
            violations.add(method + " " + path + " " + status + ": Content-Type " + type + ", documented " + content.getKey());
        }
        if (content.getKey().equals("application/json")) {
            JsonNode schemaNode = content.getValue().path("schema");
            String ref = schemaNode.path("$ref").asText("");
            if (!ref.isEmpty()) {
                Set<ValidationMessage> errors = schema(ref).validate(JSON.readTree(response.body()));
                if (!errors.isEmpty()) {
                    violations.add(method + " " + path + " " + status + ": " + errors);
                }
            }
        }
        return response.statusCode();
    }

    private JsonSchema schema(String ref) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                b -> b.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri()));
        return factory.getSchema(SchemaLocation.of("classpath:openapi.json" + ref));
    }
}
