package io.peerwarden.share;

import io.fabric8.kubernetes.api.model.Secret;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.share.FailedLookupLimiter;
import io.peerwarden.core.share.SharePage;
import io.peerwarden.core.share.ShareToken;
import io.peerwarden.testing.QrImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Share links end to end on a real API server, with RBAC enforced: minted by the {@code share} command
 * as a namespace user, served by the share server as a ServiceAccount that may only get and delete
 * Secrets there, fetched with a real HTTP client.
 */
class ShareLinksRealApiIT {

    private static ShareFixture fixture;

    @BeforeAll
    static void start() {
        // a burst no test here reaches: the limiter has its own test below, on its own server
        fixture = new ShareFixture("share", new FailedLookupLimiter(10_000, Duration.ofSeconds(1), 100, Clock.systemUTC()));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static String token(String url) {
        return url.substring(url.indexOf(ShareHandler.PREFIX) + ShareHandler.PREFIX.length());
    }

    private static String dataUri(String body, String prefix) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "([A-Za-z0-9+/=]+)\"").matcher(body);
        assertThat(m.find()).as("the page has " + prefix).isTrue();
        return m.group(1);
    }

    @Test
    void aLinkOpensThePageWithTheQrCodeAndTheFileOnceAndThenAnswersTheSame404AsAnUnknownLink() throws Exception {
        String config = fixture.peer("alice");
        String url = fixture.mint("alice", "--ttl", "1h");
        assertThat(url).startsWith(fixture.server.baseUrl() + "/config/" + fixture.namespace + ".");

        HttpResponse<String> page = fixture.get(url);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains(SharePage.HTML);
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.headers().firstValue("Content-Security-Policy")).contains(SharePage.CONTENT_SECURITY_POLICY);
        assertThat(QrImages.decode(Base64.getDecoder().decode(dataUri(page.body(), "data:image/png;base64,")))).isEqualTo(config);
        assertThat(new String(Base64.getDecoder().decode(dataUri(page.body(), "data:text/plain;charset=utf-8;base64,")),
                StandardCharsets.UTF_8)).isEqualTo(config);
        assertThat(fixture.admin.secrets().inNamespace(fixture.namespace).withName(ShareToken.parse(token(url)).orElseThrow().recordName())
                .get()).as("the record is gone once spent").isNull();

        HttpResponse<String> again = fixture.get(url);
        HttpResponse<String> unknown = fixture.get(fixture.server.baseUrl() + "/config/"
                + ShareToken.mint(fixture.namespace, new java.security.SecureRandom()).text());
        HttpResponse<String> malformed = fixture.get(fixture.server.baseUrl() + "/config/not-a-token");
        for (HttpResponse<String> failed : List.of(again, unknown, malformed)) {
            assertThat(failed.statusCode()).isEqualTo(404);
            assertThat(failed.body()).isEqualTo(SharePage.notFound().body());
            assertThat(failed.headers().firstValue("Cache-Control")).contains("no-store");
        }
    }

    @Test
    void theRawFileIsServedForCurlAndSpendsTheLinkLikeThePage() {
        String config = fixture.peer("carol");
        String url = fixture.mint("carol");
        HttpResponse<String> raw = fixture.get(url + "/wg0.conf");
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("Content-Type")).contains(SharePage.TEXT);
        assertThat(raw.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"wg0.conf\"");
        assertThat(raw.body()).isEqualTo(config);
        assertThat(fixture.get(url).statusCode()).isEqualTo(404);
        assertThat(fixture.get(url + "/wg0.conf").statusCode()).isEqualTo(404);
    }

    @Test
    void anExpiredLinkAnswers404() {
        fixture.peer("dave");
        String url = fixture.mint("dave", "--ttl", "10m");
        fixture.clock.advance(Duration.ofMinutes(10));
        try {
            HttpResponse<String> expired = fixture.get(url);
            assertThat(expired.statusCode()).isEqualTo(404);
            assertThat(expired.body()).isEqualTo(SharePage.notFound().body());
        } finally {
            fixture.clock.advance(Duration.ofMinutes(-10));
        }
        // back before the expiry it works: the expiry, not the visit, made it fail (and the refused visit spent nothing)
        assertThat(fixture.get(url).statusCode()).isEqualTo(200);
    }

    @Test
    void revokingRemovesEveryLiveLinkOfThePeerAndOnlyThatPeers() {
        fixture.peer("erin");
        fixture.peer("frank");
        String first = fixture.mint("erin");
        String second = fixture.mint("erin");
        String other = fixture.mint("frank");
        ShareFixture.Run revoke = fixture.share(fixture.minter, "erin", "-n", fixture.namespace, "--revoke");
        assertThat(revoke.exitCode()).isZero();
        assertThat(revoke.err()).isEqualTo("Revoked 2 share links of " + fixture.namespace + "/erin.");
        assertThat(fixture.get(first).statusCode()).isEqualTo(404);
        assertThat(fixture.get(second).statusCode()).isEqualTo(404);
        assertThat(fixture.get(other).statusCode()).isEqualTo(200);
    }

    /** A dashboard minting a link per answer leaves no pile of Secrets: past the cap the oldest link is revoked. */
    @Test
    void mintingPastTheCapRevokesTheOldestLinkOnly() {
        fixture.peer("capped");
        List<String> links = new java.util.ArrayList<>();
        for (int i = 0; i < ShareIssuer.LIVE_LINKS_PER_PEER + 1; i++) {
            links.add(fixture.mint("capped"));
        }
        assertThat(fixture.get(links.get(0)).statusCode()).as("the oldest link, revoked by the eleventh").isEqualTo(404);
        assertThat(fixture.get(links.get(1)).statusCode()).isEqualTo(200);
        assertThat(fixture.get(links.get(links.size() - 1)).statusCode()).isEqualTo(200);
    }

    @Test
    void ofConcurrentVisitsOfOneLinkExactlyOneGetsTheConfig() throws Exception {
        fixture.peer("grace");
        int visitors = 8;
        ExecutorService pool = Executors.newFixedThreadPool(visitors);
        try {
            for (int round = 0; round < 5; round++) {
                String url = fixture.mint("grace");
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> statuses = new ArrayList<>();
                for (int i = 0; i < visitors; i++) {
                    statuses.add(pool.submit(() -> {
                        go.await();
                        return fixture.get(url).statusCode();
                    }));
                }
                go.countDown();
                List<Integer> codes = new ArrayList<>();
                for (Future<Integer> status : statuses) {
                    codes.add(status.get());
                }
                assertThat(codes).as("round " + round).containsOnly(200, 404).filteredOn(c -> c == 200).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theRecordHoldsOnlyTheHashIsOwnedByThePeerAndGoesWithIt() {
        fixture.peer("heidi");
        String url = fixture.mint("heidi", "--ttl", "168h");
        ShareToken token = ShareToken.parse(token(url)).orElseThrow();
        String randomPart = token.text().substring(token.text().indexOf('.') + 1);
        Secret record = fixture.admin.secrets().inNamespace(fixture.namespace).withName(token.recordName()).get();
        assertThat(record).isNotNull();
        assertThat(record.getImmutable()).isTrue();
        assertThat(record.getMetadata().getLabels()).containsEntry(Labels.COMPONENT, Labels.COMPONENT_SHARE_TOKEN)
                .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        assertThat(fixture.admin.getKubernetesSerialization().asJson(record)).doesNotContain(randomPart, token.text());
        assertThat(new String(Base64.getDecoder().decode(record.getData().get("tokenHash")), StandardCharsets.UTF_8))
                .isEqualTo(token.hash());
        VpnPeer peer = fixture.admin.resources(VpnPeer.class).inNamespace(fixture.namespace).withName("heidi").get();
        assertThat(record.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(peer.getMetadata().getUid()))
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("VpnPeer"));

        fixture.admin.resources(VpnPeer.class).inNamespace(fixture.namespace).withName("heidi").delete();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> fixture.admin.secrets().inNamespace(fixture.namespace).withName(token.recordName()).get() == null);
    }

    @Test
    void aLinkDoesNotOpenThePeerMadeAgainUnderTheSameName() {
        fixture.peer("ivan");
        String url = fixture.mint("ivan");
        // the peer deleted and created again: the operator renders a config with new keys and the new UID
        fixture.writeConfigSecret("ivan", "another-uid", ShareFixture.demoConfig());
        assertThat(fixture.get(url).statusCode()).isEqualTo(404);
    }

    @Test
    void aUserWhoMayNotCreateSecretsInThePeersNamespaceCannotMint() {
        fixture.peer("judy");
        ShareFixture.Run run = fixture.share(fixture.reader, "judy", "-n", fixture.namespace);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("peerwarden share: You may not create Secrets in namespace " + fixture.namespace);
        assertThat(fixture.admin.secrets().inNamespace(fixture.namespace).withLabelSelector(
                io.peerwarden.core.share.ShareSecrets.selector("judy")).list().getItems()).isEmpty();
    }

    @Test
    void withoutABaseUrlTheCommandPrintsTheBareTokenAndSaysWhereItGoes() {
        fixture.peer("peggy");
        ShareFixture.Run run = fixture.share(fixture.minter, "peggy", "-n", fixture.namespace);
        assertThat(run.exitCode()).isZero();
        assertThat(ShareToken.parse(run.out())).as("stdout is the token alone").isPresent();
        assertThat(run.err()).contains("/config/<token>", "--base-url", "works once, until", "peerwarden share peggy -n "
                + fixture.namespace + " --revoke").doesNotContain(run.out());
        assertThat(fixture.get(fixture.server.baseUrl() + "/config/" + run.out()).statusCode()).isEqualTo(200);
    }

    @Test
    void aPeerThatDoesNotExistGetsNoLink() {
        ShareFixture.Run run = fixture.share(fixture.minter, "nobody", "-n", fixture.namespace);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("VpnPeer " + fixture.namespace + "/nobody does not exist.");
    }

    @Test
    void aTimeToLiveOverAWeekIsRefusedBeforeAnythingIsWritten() {
        fixture.peer("mallory");
        ShareFixture.Run run = fixture.share(fixture.minter, "mallory", "-n", fixture.namespace, "--ttl", "169h");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--ttl must be between 1m and 168h");
    }

    @Test
    void tooManyFailedLookupsFromOneAddressGet429EvenForAGoodLinkUntilTheBucketRefills() {
        fixture.peer("niaj");
        io.peerwarden.testing.TestClock clock = io.peerwarden.testing.TestClock.at(java.time.Instant.now());
        try (ShareServer limited = ShareServer.start(new InetSocketAddress("127.0.0.1", 0), new ShareHandler(
                new KubeShareStore(fixture.admin), new FailedLookupLimiter(3, Duration.ofMinutes(1), 100, clock), clock))) {
            String url = fixture.mint("niaj").replace(fixture.server.baseUrl(), limited.baseUrl());
            for (int i = 0; i < 3; i++) {
                assertThat(fixture.get(limited.baseUrl() + "/config/" + fixture.namespace + ".guess" + i).statusCode()).isEqualTo(404);
            }
            HttpResponse<String> limitedAnswer = fixture.get(url);
            assertThat(limitedAnswer.statusCode()).isEqualTo(429);
            assertThat(limitedAnswer.headers().firstValue("Retry-After")).isPresent();
            clock.advance(Duration.ofMinutes(1));
            assertThat(fixture.get(url).statusCode()).as("the good link was not spent by the refused visit").isEqualTo(200);
        }
    }

    /** Every logger at every level, the JDK's HTTP server's and the Kubernetes client's included. */
    @Test
    void tokensNeverReachALogLineOfAnyLogger() {
        fixture.peer("olivia");
        List<String> tokens = new ArrayList<>();
        List<String> lines;
        try (AllLogs logs = new AllLogs()) {
            String url = fixture.mint("olivia");
            tokens.add(token(url));
            assertThat(fixture.statusOverSocket(url)).isEqualTo(200);
            assertThat(fixture.statusOverSocket(url)).isEqualTo(404);
            String raw = fixture.mint("olivia");
            tokens.add(token(raw));
            assertThat(fixture.statusOverSocket(raw + "/wg0.conf")).isEqualTo(200);
            String expired = fixture.mint("olivia", "--ttl", "1m");
            tokens.add(token(expired));
            fixture.clock.advance(Duration.ofMinutes(2));
            try {
                assertThat(fixture.statusOverSocket(expired)).isEqualTo(404);
            } finally {
                fixture.clock.advance(Duration.ofMinutes(-2));
            }
            // a revoked one
            String revoked = fixture.mint("olivia");
            tokens.add(token(revoked));
            fixture.share(fixture.minter, "olivia", "-n", fixture.namespace, "--revoke");
            assertThat(fixture.statusOverSocket(revoked)).isEqualTo(404);
            lines = logs.lines();
        }
        ShareToken first = ShareToken.parse(tokens.get(0)).orElseThrow();
        assertThat(lines).as("the spend is logged, by the token's hash prefix")
                .anyMatch(l -> l.contains("share link " + first.logId() + " of " + fixture.namespace + "/olivia spent"));
        for (String token : tokens) {
            String randomPart = token.substring(token.indexOf('.') + 1);
            assertThat(lines).noneMatch(l -> l.contains(randomPart));
        }
    }
}
