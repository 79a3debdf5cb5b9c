package io.peerwarden.api;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates a bearer token with a TokenReview (authentication.k8s.io/v1) through the API's ServiceAccount, so
 * ServiceAccount and OIDC tokens work as they do for kubectl. Answers are cached briefly (keyed by the token's
 * SHA-256, never the token), bounded in size; a refused token is cached too, so a client retrying a bad token does not
 * become a TokenReview per request.
 */
public final class TokenAuthenticator {

    private record Entry(Optional<Caller> caller, Instant expires) {
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;
    private final Map<String, Entry> cache;
    private long reviews;

    public TokenAuthenticator(KubernetesClient client, Clock clock, Duration ttl, int maxEntries) {
        this.client = client;
        this.clock = clock;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > TokenAuthenticator.this.maxEntries;
            }
        };
    }

    /** The caller of an {@code Authorization} header value, or empty: no bearer token, or one the API server refuses. */
    public Optional<Caller> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).strip();
        if (token.isEmpty() || token.length() > 16 * 1024) {
            return Optional.empty();
        }
        String key = sha256(token);
        Instant now = clock.instant();
        synchronized (cache) {
            Entry hit = cache.get(key);
            if (hit != null && hit.expires().isAfter(now)) {
                return hit.caller().map(c -> new Caller(c.username(), c.uid(), c.groups(), c.extra(), token));
            }
        }
        TokenReview answer = client.authentication().v1().tokenReviews()
                .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
        Optional<Caller> caller = Optional.empty();
        if (answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAuthenticated())
                && answer.getStatus().getUser() != null) {
            UserInfo user = answer.getStatus().getUser();
            caller = Optional.of(new Caller(user.getUsername(), user.getUid(),
                    user.getGroups() == null ? List.of() : List.copyOf(user.getGroups()),
                    user.getExtra() == null ? Map.of() : Map.copyOf(user.getExtra()), token));
        }
        synchronized (cache) {
            reviews++;
            cache.put(key, new Entry(caller.map(c -> new Caller(c.username(), c.uid(), c.groups(), c.extra(), null)), now.plus(ttl)));
        }
        return caller;
    }

    /** TokenReviews sent since the start (tests: the cache works). */
    public long reviews() {
        synchronized (cache) {
            return reviews;
        }
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
