package io.peerwarden.core.share;

import java.time.Duration;
import java.util.Optional;

/** How long a share link may live: {@link #DEFAULT} unless asked, between {@link #MIN} and {@link #MAX}. */
public final class ShareTtl {

    public static final Duration DEFAULT = Duration.ofHours(1);
    public static final Duration MIN = Duration.ofMinutes(1);
    /** A week: a link is a bearer credential for a private key, so it must not live for ever. */
    public static final Duration MAX = Duration.ofDays(7);

    private ShareTtl() {
    }

    /** Why {@code ttl} is not allowed, as a sentence naming the option and the bounds, or empty when it is. */
    public static Optional<String> problem(Duration ttl) {
        if (ttl == null || ttl.compareTo(MIN) < 0 || ttl.compareTo(MAX) > 0) {
            return Optional.of("--ttl must be between 1m and 168h (7 days); the default is 1h.");
        }
        return Optional.empty();
    }
}
