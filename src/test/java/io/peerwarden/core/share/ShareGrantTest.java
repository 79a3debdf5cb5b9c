package io.peerwarden.core.share;

import io.peerwarden.api.v1alpha1.Labels;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a record keeps (the hash, never the token) and when a token opens it (until it expires). */
class ShareGrantTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final SecureRandom random = new SecureRandom();

    @Test
    void aTokenOpensItsRecordUntilTheExpiryAndNotFromThenOn() {
        ShareToken token = ShareToken.mint("team-a", random);
        ShareGrant grant = ShareGrant.of(token, "alice", "uid-1", NOW.plus(Duration.ofHours(1)));
        assertThat(grant.admits(token, NOW)).isTrue();
        assertThat(grant.admits(token, NOW.plus(Duration.ofMinutes(59)))).isTrue();
        assertThat(grant.admits(token, NOW.plus(Duration.ofHours(1)))).isFalse();
        assertThat(grant.admits(token, NOW.plus(Duration.ofDays(3)))).isFalse();
    }

    @Test
    void anotherTokenDoesNotOpenTheRecord() {
        ShareToken token = ShareToken.mint("team-a", random);
        ShareGrant grant = ShareGrant.of(token, "alice", "uid-1", NOW.plus(Duration.ofHours(1)));
        assertThat(grant.admits(ShareToken.mint("team-a", random), NOW)).isFalse();
    }

    @Test
    void theRecordHoldsTheHashAndNeverTheTokenOrItsRandomPart() {
        ShareToken token = ShareToken.mint("team-a", random);
        String randomPart = token.text().substring("team-a.".length());
        ShareGrant grant = ShareGrant.of(token, "alice", "uid-1", NOW.plus(Duration.ofHours(1)));
        Map<String, String> everything = new HashMap<>();
        everything.putAll(ShareSecrets.labels(grant));
        everything.putAll(ShareSecrets.annotations(grant));
        everything.putAll(ShareSecrets.data(grant));
        assertThat(everything.values()).noneMatch(v -> v.contains(randomPart));
        assertThat(token.recordName()).doesNotContain(randomPart);
        assertThat(ShareSecrets.data(grant)).containsExactly(Map.entry(ShareSecrets.TOKEN_HASH, token.hash()));
    }

    @Test
    void aRecordReadsBackAsTheGrantItWasWrittenFrom() {
        ShareToken token = ShareToken.mint("team-a", random);
        ShareGrant grant = ShareGrant.of(token, "alice", "uid-1", NOW.plus(Duration.ofHours(1)));
        assertThat(ShareSecrets.read("team-a", ShareSecrets.labels(grant), ShareSecrets.annotations(grant), ShareSecrets.data(grant)))
                .contains(grant);
        assertThat(ShareSecrets.labels(grant)).containsEntry(Labels.MANAGED_BY, "peerwarden")
                .containsEntry(Labels.COMPONENT, "share-token").containsEntry(Labels.PEER, "alice");
    }

    @Test
    void aSecretThatIsNoCompleteShareRecordOpensNothing() {
        ShareToken token = ShareToken.mint("team-a", random);
        ShareGrant grant = ShareGrant.of(token, "alice", "uid-1", NOW.plus(Duration.ofHours(1)));
        Map<String, String> otherComponent = new HashMap<>(ShareSecrets.labels(grant));
        otherComponent.put(Labels.COMPONENT, Labels.COMPONENT_PEER_CONFIG);
        assertThat(ShareSecrets.read("team-a", otherComponent, ShareSecrets.annotations(grant), ShareSecrets.data(grant))).isEmpty();
        Map<String, String> badExpiry = new HashMap<>(ShareSecrets.annotations(grant));
        badExpiry.put(ShareSecrets.EXPIRES_AT_ANNOTATION, "tomorrow");
        assertThat(ShareSecrets.read("team-a", ShareSecrets.labels(grant), badExpiry, ShareSecrets.data(grant))).isEmpty();
        assertThat(ShareSecrets.read("team-a", ShareSecrets.labels(grant), ShareSecrets.annotations(grant), Map.of())).isEmpty();
        assertThat(ShareSecrets.read("team-a", null, null, null)).isEmpty();
    }

    @Test
    void theTimeToLiveIsBoundedToAWeekWithAnHourByDefault() {
        assertThat(ShareTtl.DEFAULT).isEqualTo(Duration.ofHours(1));
        assertThat(ShareTtl.problem(Duration.ofHours(1))).isEmpty();
        assertThat(ShareTtl.problem(Duration.ofDays(7))).isEmpty();
        assertThat(ShareTtl.problem(Duration.ofMinutes(1))).isEmpty();
        assertThat(ShareTtl.problem(Duration.ofDays(7).plusSeconds(1))).get().asString().contains("--ttl", "168h");
        assertThat(ShareTtl.problem(Duration.ofSeconds(59))).isPresent();
        assertThat(ShareTtl.problem(Duration.ZERO)).isPresent();
        assertThat(ShareTtl.problem(Duration.ofHours(-1))).isPresent();
    }
}
