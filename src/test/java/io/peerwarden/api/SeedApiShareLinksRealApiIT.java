package io.peerwarden.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.ApiCommand;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.share.SharePage;
import io.peerwarden.core.share.ShareSecrets;
import io.peerwarden.core.share.ShareToken;
import io.peerwarden.operator.OperatorHarness;
import io.peerwarden.share.AllLogs;
import io.peerwarden.share.ShareHandler;
import io.peerwarden.testing.QrImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code peerwarden api --share-links} on the real API server, started through {@link ApiCommand#start} as the
 * command starts it, as a ServiceAccount with the chart's rules for {@code api.shareLinks=true}, with the operator
 * rendering the peers' configs: the Altostrat {@code token} is a share link minted as the caller (only for a caller
 * who may create Secrets in the peer's namespace, only for a client peer), and the same server opens it once at
 * {@code /config/<token>} with the peer's rendered config. Without {@code --share-links} there is no token and no
 * {@code /config/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedApiShareLinksRealApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Not the default hour: the option, not a constant, decides token_ttl. */
    private static final Duration TTL = Duration.ofMinutes(20);

    private SeedApiFixture fx;
    private VpnInstance office;
    private SeedApi off;
    /** get, list and update on vpnpeers, create on Secrets: may mint. */
    private String sharer;
    /** get, list and update on vpnpeers, nothing on Secrets. */
    private String editor;

    @BeforeAll
    void start() throws Exception {
        fx = new SeedApiFixture("seedshare");
        fx.startOperator();
        office = fx.create(OperatorHarness.instance("office", "10.25.0.1/24"));
        fx.create(OperatorHarness.peer("alice", "office", "client"));
        fx.create(OperatorHarness.peer("bob", "office", "client"));
        VpnPeer branch = OperatorHarness.peer("branch", "office", "site");
        branch.getSpec().setSubnets(List.of("192.168.40.0/24"));
        fx.create(branch);
        for (String name : List.of("alice", "bob", "branch")) {
            fx.awaitPeer(name, rendered());
        }
        SeedApi.Settings settings = SeedApi.Settings.defaults(0, null).withSettle(Duration.ofSeconds(5));
        fx.startApi(SeedApiFixture.API_RULES_WITH_SHARE_LINKS, client -> ApiCommand.start(client, settings, true, TTL));
        off = fx.startAnotherApi(client -> ApiCommand.start(client, settings, false, TTL));
        sharer = fx.tokenFor("sharer", "get", "list", "update");
        fx.grant("sharer", new PolicyRuleBuilder().withApiGroups("").withResources("secrets").withVerbs("create").build());
        editor = fx.tokenFor("editor", "get", "list", "update");
        // RBAC settles: the sharer's create on Secrets is seen by the API server (a server-side dry run as the sharer)
        try (KubernetesClient asSharer = new CallerWrites(fx.admin.getConfiguration(), Duration.ofSeconds(10)).clientFor(sharer)) {
            await().atMost(SeedApiFixture.PATIENCE).ignoreExceptions().until(() -> {
                asSharer.secrets().inNamespace(fx.ns).resource(new SecretBuilder().withNewMetadata().withName("probe").endMetadata()
                        .build()).dryRun().create();
                return true;
            });
        }
    }

    @AfterAll
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private String peerPath(String name) {
        return "/vpn/instances/" + office.getMetadata().getUid() + "/peers/" + fx.peer(name).getMetadata().getUid();
    }

    private JsonNode getPeer(SeedApi api, String name, String token) throws Exception {
        HttpResponse<String> response = fx.send(api, "GET", peerPath(name), token, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** A visit of the link, as a browser makes it: no bearer token. */
    private HttpResponse<String> visit(SeedApi api, String path) throws Exception {
        return fx.send(api, "GET", path, null, null);
    }

    /** The config the operator rendered into the peer's Secret. */
    private String renderedConfig(String peer) {
        Secret secret = fx.admin.secrets().inNamespace(fx.ns).withName(Labels.peerConfigSecretName(peer)).get();
        return new String(Base64.getDecoder().decode(secret.getData().get(Labels.CONFIG)), StandardCharsets.UTF_8);
    }

    private List<Secret> records(String peer) {
        return fx.admin.secrets().inNamespace(fx.ns).withLabelSelector(ShareSecrets.selector(peer)).list().getItems();
    }

    /** {@code /config/<token>}. */
    private static String link(String token) {
        return ShareHandler.PREFIX + token;
    }

    private static String dataUri(String body, String prefix) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "([A-Za-z0-9+/=]+)\"").matcher(body);
        assertThat(m.find()).as("the page has " + prefix).isTrue();
        return m.group(1);
    }

    @Test
    void aCallerWhoMayCreateSecretsGetsALinkThatTheSameServerOpensOnceWithThePeersRenderedConfig() throws Exception {
        VpnPeer alice = fx.peer("alice");
        JsonNode got = getPeer(fx.api, "alice", sharer);
        String token = got.path("token").asText();
        assertThat(token).as("a share link of the peer's namespace").startsWith(fx.ns + ".");
        assertThat(got.path("token_ttl").asLong()).isEqualTo(TTL.toSeconds());
        Secret record = fx.admin.secrets().inNamespace(fx.ns).withName(ShareToken.parse(token).orElseThrow().recordName()).get();
        assertThat(record).as("the record the sharer created").isNotNull();
        assertThat(record.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(alice.getMetadata().getUid()));
        assertThat(record.getData().values()).as("the hash only").noneMatch(v -> new String(Base64.getDecoder().decode(v),
                StandardCharsets.UTF_8).contains(token));

        String config = renderedConfig("alice");
        HttpResponse<String> page = visit(fx.api, link(token));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains(SharePage.HTML);
        assertThat(page.headers().firstValue("Content-Security-Policy")).contains(SharePage.CONTENT_SECURITY_POLICY);
        assertThat(QrImages.decode(Base64.getDecoder().decode(dataUri(page.body(), "data:image/png;base64,")))).isEqualTo(config);
        assertThat(new String(Base64.getDecoder().decode(dataUri(page.body(), "data:text/plain;charset=utf-8;base64,")),
                StandardCharsets.UTF_8)).isEqualTo(config);
        assertThat(fx.admin.secrets().inNamespace(fx.ns).withName(record.getMetadata().getName()).get())
                .as("the record is spent").isNull();

        HttpResponse<String> again = visit(fx.api, link(token));
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).isEqualTo(SharePage.notFound().body());
    }

    @Test
    void everyAnswerMintsANewLinkAPutsAnswerToo() throws Exception {
        String first = getPeer(fx.api, "bob", sharer).path("token").asText();
        String second = getPeer(fx.api, "bob", sharer).path("token").asText();
        HttpResponse<String> put = fx.send("PUT", peerPath("bob"), sharer, "{\"route_all\": false}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonNode putAnswer = JSON.readTree(put.body());
        String third = putAnswer.path("token").asText();
        assertThat(putAnswer.path("token_ttl").asLong()).isEqualTo(TTL.toSeconds());
        assertThat(List.of(first, second, third)).doesNotHaveDuplicates().allSatisfy(t -> assertThat(t).startsWith(fx.ns + "."));
        assertThat(records("bob")).hasSize(3);
        // each opens once, on its own: spending one spends none of the others
        for (String token : List.of(first, second, third)) {
            HttpResponse<String> raw = visit(fx.api, link(token) + "/wg0.conf");
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.body()).isEqualTo(renderedConfig("bob"));
        }
        assertThat(records("bob")).isEmpty();
    }

    @Test
    void theTokenReachesNoLogLineOfAnyLoggerAtAnyLevelWhileItIsMintedAndSpent() throws Exception {
        String token;
        List<String> lines;
        try (AllLogs logs = new AllLogs()) {
            String answer = overSocket(peerPath("bob"), sharer);
            token = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("token").asText();
            assertThat(token).startsWith(fx.ns + ".");
            assertThat(overSocket(link(token), null)).startsWith("HTTP/1.1 200");
            assertThat(overSocket(link(token), null)).startsWith("HTTP/1.1 404");
            lines = logs.lines();
        }
        assertThat(lines).as("the spend is logged, by the token's hash prefix")
                .anyMatch(l -> l.contains("share link " + ShareToken.parse(token).orElseThrow().logId() + " of " + fx.ns + "/bob spent"));
        String secret = token.substring(token.indexOf('.') + 1);
        assertThat(lines).noneMatch(l -> l.contains(secret));
        assertThat(lines).as("nor the caller's credentials").noneMatch(l -> l.contains(sharer));
    }

    /**
     * The whole answer to a GET sent over a plain socket: unlike the JDK's HTTP client, which logs request URLs at debug
     * level, the caller itself logs nothing, so what the log capture sees is the API's.
     */
    private String overSocket(String path, String bearer) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", fx.api.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n")
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aCallerWhoMayNotCreateSecretsGetsNoTokenAndNothingIsWritten() throws Exception {
        int before = records("alice").size();
        JsonNode got = getPeer(fx.api, "alice", editor);
        assertThat(got.path("id").asText()).as("the peer itself is answered").isEqualTo(fx.peer("alice").getMetadata().getUid());
        assertThat(got.path("token").isNull()).as("token present and null").isTrue();
        assertThat(got.path("token_ttl").isNull()).isTrue();
        HttpResponse<String> put = fx.send("PUT", peerPath("alice"), editor, "{\"route_all\": false}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(JSON.readTree(put.body()).path("token").isNull()).isTrue();
        assertThat(records("alice")).hasSize(before);
    }

    @Test
    void aSitePeerGetsNoTokenEvenForACallerWhoMayMint() throws Exception {
        JsonNode got = getPeer(fx.api, "branch", sharer);
        assertThat(got.path("type").asText()).isEqualTo("site");
        assertThat(got.path("token").isNull()).isTrue();
        assertThat(got.path("token_ttl").isNull()).isTrue();
        assertThat(records("branch")).isEmpty();
    }

    @Test
    void withoutShareLinksThereIsNoTokenAndConfigIsTheApisJson404() throws Exception {
        JsonNode got = getPeer(off, "alice", sharer);
        assertThat(got.path("token").isNull()).isTrue();
        assertThat(got.path("token_ttl").isNull()).isTrue();

        // a live link, minted by the server with share links: the other server does not open (nor spend) it
        String token = getPeer(fx.api, "alice", sharer).path("token").asText();
        HttpResponse<String> notServed = visit(off, link(token));
        assertThat(notServed.statusCode()).isEqualTo(404);
        assertThat(notServed.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(JSON.readTree(notServed.body()).path("code").asText()).isEqualTo("NotFound");
        assertThat(visit(fx.api, link(token)).statusCode()).as("still valid where it is served").isEqualTo(200);
    }
}
