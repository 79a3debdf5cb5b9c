package io.peerwarden.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.operator.OperatorHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed APIs with a real HTTP client against the running API on the real API server, with the operator and its
 * admission webhook: every Altostrat {@code Peer} field round-trips, every seed error comes from a real bad request,
 * a token without {@code update} on vpnpeers gets 403, and a WGDashboard client's body as the seed shows it is
 * accepted and lands in the VpnPeer's spec.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedApiRealApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The seed's own body (003_bb31e62428fce9b8.txt), id/private_key/allowed_ip replaced by the peer's own. */
    private static final String SEED_BODY = """
            {
            	"DNS": "1.1.1.1",
            	"ShareLink": [],
            	"allowed_ip": "%s",
            	"configuration": {
            		"Address": "10.24.0.0/24",
            		"ConnectedPeers": 0,
            		"DataUsage": {"Receive": 0, "Sent": 0, "Total": 0},
            		"ListenPort": "56767",
            		"Name": "wg88",
            		"PostDown": "", "PostUp": "", "PreDown": "", "PreUp": "",
            		"PrivateKey": "WPILUumsSAM6IeQRQj2VnPYAh+6GvFnKqh7fKmWs6EI=",
            		"PublicKey": "mCP70rKd4iumKptwTgzvAR3g8/D74ZDkwR0EuI10uk4=",
            		"SaveConfig": true,
            		"Status": false
            	},
            	"cumu_data": 0, "cumu_receive": 0, "cumu_sent": 0,
            	"endpoint": "(none)",
            	"endpoint_allowed_ip": "0.0.0.0/0",
            	"id": "%s",
            	"jobs": [],
            	"keepalive": 21,
            	"latest_handshake": "No Handshake",
            	"mtu": 1420,
            	"name": "Donald's Macbook Pro ",
            	"preshared_key": "sHCWzd312NIuNOXyqWwvzBGcYMKPuUmV5s1Qs8wS0kk=",
            	"private_key": "%s",
            	"remote_endpoint": "10.0.2.2",
            	"status": "stopped",
            	"total_data": 0, "total_receive": 0, "total_sent": 0,
            	"restricted": false
            }
            """;

    private SeedApiFixture fx;
    private String editor;
    private String reader;
    private String stranger;
    private VpnInstance office;

    @BeforeAll
    void start() throws Exception {
        fx = new SeedApiFixture("seedapi");
        fx.startOperator();
        office = fx.create(OperatorHarness.instance("office", "10.24.0.1/24"));
        // creation order decides who keeps a contested address: holder first, alice and late after it
        VpnPeer holder = OperatorHarness.peer("holder", "office", "site");
        holder.getSpec().setSubnets(List.of("192.168.20.0/24"));
        fx.create(holder);
        // timestamps have whole seconds and ties go by name ("alice" < "holder"): the others come a second later
        io.peerwarden.testing.CreationTimestamps.awaitSecondAfter(fx.awaitPeer("holder", rendered()));
        VpnPeer branch = OperatorHarness.peer("branch", "office", "site");
        branch.getSpec().setSiteId("c3d5e2a0-88c9-4f7f-9f7b-6a1e2b4c5d6e");
        branch.getSpec().setSubnets(List.of("192.168.10.0/24"));
        fx.create(branch);
        VpnPeer alice = OperatorHarness.peer("alice", "office", "client");
        alice.getSpec().setUserId("a1b2c3d4-e5f6-7890-1234-567890abcdef");
        fx.create(alice);
        VpnPeer late = OperatorHarness.peer("late", "office", "site");
        late.getSpec().setSubnets(List.of("192.168.30.0/24"));
        fx.create(late);
        for (String name : List.of("alice", "branch", "holder", "late")) {
            fx.awaitPeer(name, rendered());
        }
        // a token whose config-token store issues for clients only, so token and token_ttl are seen to flow through
        fx.startApi((peer, callerToken) -> "client".equals(peer.getSpec().getType()) && callerToken != null
                ? Optional.of(new ConfigTokens.IssuedToken("share-" + peer.getMetadata().getUid(), 3600)) : Optional.empty(),
                java.time.Duration.ofSeconds(5));
        editor = fx.tokenFor("editor", "get", "list", "update", "patch");
        reader = fx.tokenFor("reader", "get", "list");
        stranger = fx.tokenFor("stranger");
        // the webhook's CA bundle reaches the API server's copy of the configuration
        await().atMost(SeedApiFixture.PATIENCE).until(() -> {
            try {
                VpnPeer probe = OperatorHarness.peer("probe", "office", "site");
                probe.getSpec().setSubnets(List.of("192.168.20.0/24"));
                probe.getMetadata().setNamespace(fx.ns);
                fx.admin.resource(probe).dryRun().create();
                return false;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                return e.getMessage().contains("AllowedIPTaken");
            }
        });
    }

    @AfterAll
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private String peerPath(String name) {
        return "/vpn/instances/" + office.getMetadata().getUid() + "/peers" + "/" + fx.peer(name).getMetadata().getUid();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void everyAltostratPeerFieldRoundTripsFromSpecStatusAndMetadata() throws Exception {
        VpnPeer alice = fx.peer("alice");
        fx.admin.resources(VpnPeer.class).inNamespace(fx.ns).withName("alice").editStatus(p -> {
            p.getStatus().setConnected(true);
            p.getStatus().setConnectedFrom("203.0.113.5:51820");
            return p;
        });
        JsonNode got = await().atMost(SeedApiFixture.PATIENCE).until(() -> json(fx.send("GET", peerPath("alice"), reader, null)),
                j -> j.path("connected").asBoolean());
        assertThat(got.properties().stream().map(java.util.Map.Entry::getKey).toList()).containsExactly("id", "type", "user_id",
                "site_id", "subnets", "route_all", "protocol", "connected", "connected_from", "token", "token_ttl", "created_at");
        assertThat(got.path("id").asText()).isEqualTo(alice.getMetadata().getUid());
        assertThat(got.path("type").asText()).isEqualTo("client");
        assertThat(got.path("user_id").asText()).isEqualTo("a1b2c3d4-e5f6-7890-1234-567890abcdef");
        assertThat(got.path("site_id").isNull()).isTrue();
        assertThat(got.path("subnets").isArray() && got.path("subnets").isEmpty()).isTrue();
        assertThat(got.path("route_all").asBoolean()).isFalse();
        assertThat(got.path("protocol").asText()).isEqualTo("wireguard");
        assertThat(got.path("connected_from").asText()).isEqualTo("203.0.113.5");
        assertThat(got.path("token").asText()).isEqualTo("share-" + alice.getMetadata().getUid());
        assertThat(got.path("token_ttl").asLong()).isEqualTo(3600);
        assertThat(got.path("created_at").asText()).isEqualTo(alice.getMetadata().getCreationTimestamp());

        HttpResponse<String> put = fx.send("PUT", peerPath("alice"), editor, "{\"route_all\": true}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(json(put).path("route_all").asBoolean()).isTrue();
        assertThat(fx.peer("alice").getSpec().getRouteAll()).as("written into the VpnPeer").isTrue();

        VpnPeer branch = fx.peer("branch");
        HttpResponse<String> site = fx.send("PUT", peerPath("branch"), editor, "{\"subnets\": [\"192.168.11.0/24\", \"192.168.12.0/24\"]}");
        assertThat(site.statusCode()).as(site.body()).isEqualTo(200);
        JsonNode siteAnswer = json(site);
        assertThat(siteAnswer.path("type").asText()).isEqualTo("site");
        assertThat(siteAnswer.path("site_id").asText()).isEqualTo("c3d5e2a0-88c9-4f7f-9f7b-6a1e2b4c5d6e");
        assertThat(siteAnswer.path("user_id").isNull()).isTrue();
        assertThat(siteAnswer.path("token").isNull()).as("no token for a site").isTrue();
        assertThat(siteAnswer.path("token_ttl").isNull()).isTrue();
        assertThat(JSON.convertValue(siteAnswer.path("subnets"), List.class)).containsExactly("192.168.11.0/24", "192.168.12.0/24");
        assertThat(fx.peer("branch").getSpec().getSubnets()).as("the list is replaced, not merged")
                .containsExactly("192.168.11.0/24", "192.168.12.0/24");
        fx.awaitPeer("branch", rendered().and(p -> p.getMetadata().getGeneration() > branch.getMetadata().getGeneration()));
        JsonNode reread = json(fx.send("GET", peerPath("branch"), reader, null));
        assertThat(JSON.convertValue(reread.path("subnets"), List.class)).containsExactly("192.168.11.0/24", "192.168.12.0/24");
    }

    @Test
    void everyAltostratErrorComesFromARealBadRequest() throws Exception {
        assertError(fx.send("PUT", peerPath("late"), editor, "{\"subnets\": [\"192.168.20.0/24\"]}"), 400,
                "invalid_request_error", "AllowedIPTaken");
        assertThat(json(fx.send("PUT", peerPath("late"), editor, "{\"subnets\": [\"192.168.20.0/24\"]}")).path("message").asText())
                .contains("Allowed IP already taken by another peer").contains(fx.ns + "/holder");
        assertThat(fx.peer("late").getSpec().getSubnets()).as("nothing written").containsExactly("192.168.30.0/24");
        assertError(fx.send("PUT", peerPath("branch"), editor, "{\"subnets\": [\"not-a-cidr\"]}"), 400, "invalid_request_error", "InvalidSubnets");
        assertError(fx.send("PUT", peerPath("alice"), editor, "{\"subnets\": [\"10.9.0.0/24\"]}"), 400, "invalid_request_error", "FieldNotApplicable");
        assertError(fx.send("PUT", peerPath("alice"), editor, "{not json"), 400, "invalid_request_error", "MalformedRequest");
        assertError(fx.send("PUT", peerPath("alice"), editor, "{\"route_all\": \"yes\"}"), 400, "invalid_request_error", "MalformedRequest");
        assertError(fx.send("PUT", peerPath("alice"), null, "{\"route_all\": true}"), 401, "authentication_error", "Unauthorized");
        assertError(fx.send("GET", peerPath("alice"), "not-a-token", null), 401, "authentication_error", "Unauthorized");
        assertError(fx.send("PUT", peerPath("alice"), reader, "{\"route_all\": false}"), 403, "permission_error", "Forbidden");
        assertThat(json(fx.send("PUT", peerPath("alice"), reader, "{\"route_all\": false}")).path("message").asText()).contains("vpn:update");
        assertError(fx.send("GET", peerPath("alice"), stranger, null), 404, "not_found_error", "PeerNotFound");
        assertError(fx.send("GET", "/vpn/instances/" + office.getMetadata().getUid() + "/peers/550e8400-e29b-41d4-a716-446655440000",
                editor, null), 404, "not_found_error", "PeerNotFound");
        assertError(fx.send("GET", "/vpn/instances/d290f1ee-6c54-4b01-90e6-d701748f0851/peers/" + fx.peer("alice").getMetadata().getUid(),
                editor, null), 404, "not_found_error", "InstanceNotFound");
        assertError(fx.send("PUT", peerPath("alice"), editor, "{\"subnets\": [\"" + "1".repeat(70 * 1024) + "\"]}"), 413,
                "invalid_request_error", "RequestTooLarge");
    }

    @Test
    void aTokenIsReviewedOnceWhileItsAnswerIsCached() throws Exception {
        fx.send("GET", peerPath("alice"), reader, null);
        long before = fx.api.tokenReviews();
        for (int i = 0; i < 5; i++) {
            assertThat(fx.send("GET", peerPath("alice"), reader, null).statusCode()).isEqualTo(200);
        }
        assertThat(fx.api.tokenReviews() - before).as("TokenReviews for 5 requests within the cache time").isLessThanOrEqualTo(1);
    }

    private static void assertError(HttpResponse<String> response, int status, String type, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("type").asText()).isEqualTo(type);
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("at io.");
        assertThat(body.path("doc_url").asText()).endsWith("docs/api.md#" + code.toLowerCase(java.util.Locale.ROOT));
    }

    /** alice's own private key, from the config Secret the operator rendered. */
    private String alicePrivateKey() {
        String conf = new String(Base64.getDecoder().decode(fx.admin.secrets().inNamespace(fx.ns).withName("alice-wireguard").get()
                .getData().get("wg0.conf")), StandardCharsets.UTF_8);
        return conf.lines().filter(l -> l.startsWith("PrivateKey")).findFirst().orElseThrow().split("=", 2)[1].strip();
    }

    private String seedBody(String allowedIp, String privateKey) {
        VpnPeer alice = fx.peer("alice");
        return SEED_BODY.formatted(allowedIp, alice.getStatus().getPublicKey(), privateKey);
    }

    private HttpResponse<String> updatePeerSettings(String token, String body) throws Exception {
        return fx.send("POST", "/api/updatePeerSettings/office", token, body);
    }

    @Test
    void aWgDashboardClientsBodyAsTheSeedShowsItIsAcceptedAndLandsInTheSpec() throws Exception {
        String address = fx.peer("alice").getStatus().getAllowedIPs().get(0);
        HttpResponse<String> answer = updatePeerSettings(editor, seedBody(address, alicePrivateKey()));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(json(answer)).isEqualTo(JSON.readTree("{\"data\": [], \"message\": null, \"status\": true}"));
        VpnPeer alice = fx.peer("alice");
        assertThat(alice.getSpec().getDns()).containsExactly("1.1.1.1");
        assertThat(alice.getSpec().getMtu()).isEqualTo(1420);
        assertThat(alice.getSpec().getPersistentKeepalive()).isEqualTo(21);
        assertThat(alice.getSpec().getEndpointAllowedIPs()).containsExactly("0.0.0.0/0");
        assertThat(alice.getSpec().getDisplayName()).isEqualTo("Donald's Macbook Pro");
        assertThat(alice.getSpec().getAllowedIPs()).containsExactly(address);
        assertThat(alice.getSpec().getEndpoint()).as("remote_endpoint is the server's address on a client").isNull();
        assertThat(fx.send("POST", "/api/updatePeerSettings/" + fx.ns + ":office", editor, seedBody(address, alicePrivateKey())).statusCode())
                .isEqualTo(200);
    }

    @Test
    void everyWgDashboardMessageComesFromARealBadRequest() throws Exception {
        String address = fx.peer("alice").getStatus().getAllowedIPs().get(0);
        String key = alicePrivateKey();
        String taken = fx.peer("holder").getStatus().getAllowedIPs().get(0);
        assertRefused(updatePeerSettings(editor, seedBody(taken, key)), "Allowed IP already taken by another peer");
        assertRefused(updatePeerSettings(editor, with(seedBody(address, key), "endpoint_allowed_ip", "0.0.0.0/0, nope")),
                "Endpoint Allowed IPs format is incorrect");
        assertRefused(updatePeerSettings(editor, with(seedBody(address, key), "DNS", "1.1.1.1, not a dns!")), "DNS format is incorrect");
        assertRefused(updatePeerSettings(editor, with(seedBody(address, key), "mtu", "big")), "MTU format is not correct");
        assertRefused(updatePeerSettings(editor, withNumber(seedBody(address, key), "mtu", 99)), "MTU format is not correct");
        assertRefused(updatePeerSettings(editor, with(seedBody(address, key), "keepalive", "often")), "Persistent Keepalive format is not correct");
        assertRefused(updatePeerSettings(editor, withNumber(seedBody(address, key), "keepalive", 70000)), "Persistent Keepalive format is not correct");
        assertRefused(updatePeerSettings(editor, seedBody(address, WireGuardKeys.generatePrivateKey())),
                "Private key does not match with the public key");
        assertThat(fx.peer("alice").getSpec().getAllowedIPs()).as("nothing refused was written").doesNotContain(taken);

        // the agent reports that `wg set` failed for the current generation, as it writes it: the answer is wg's text
        VpnPeer alice = fx.peer("alice");
        long generation = alice.getMetadata().getGeneration();
        fx.admin.resources(VpnPeer.class).inNamespace(fx.ns).withName("alice").editStatus(p -> {
            p.getStatus().getConditions().removeIf(c -> c.getType().equals("Applied"));
            Condition failed = new ConditionBuilder().withType("Applied").withStatus("False").withReason("WgSetFailed")
                    .withMessage("Unable to modify interface: Address already in use").withObservedGeneration(generation)
                    .withLastTransitionTime("2026-01-01T00:00:00Z").build();
            p.getStatus().getConditions().add(failed);
            return p;
        });
        await().atMost(SeedApiFixture.PATIENCE).untilAsserted(() ->
                assertRefused(updatePeerSettings(editor, seedBody(address, key)), "Unable to modify interface: Address already in use"));
        fx.admin.resources(VpnPeer.class).inNamespace(fx.ns).withName("alice").editStatus(p -> {
            p.getStatus().getConditions().removeIf(c -> c.getType().equals("Applied"));
            return p;
        });

        HttpResponse<String> forbidden = updatePeerSettings(reader, seedBody(address, key));
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(json(forbidden).path("status").asBoolean()).isFalse();
        HttpResponse<String> unknown = updatePeerSettings(stranger, seedBody(address, key));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("message").asText()).isEqualTo("Peer does not exist");
        assertThat(updatePeerSettings(null, seedBody(address, key)).statusCode()).isEqualTo(401);
        assertThat(fx.send("POST", "/api/updatePeerSettings/nowhere", editor, seedBody(address, key)).statusCode()).isEqualTo(404);
    }

    private static void assertRefused(HttpResponse<String> response, String message) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(JSON.createObjectNode().putNull("data").put("message", message).put("status", false));
    }

    private static String with(String body, String field, String value) throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(body);
        node.put(field, value);
        return JSON.writeValueAsString(node);
    }

    private static String withNumber(String body, String field, int value) throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(body);
        node.put(field, value);
        return JSON.writeValueAsString(node);
    }
}
