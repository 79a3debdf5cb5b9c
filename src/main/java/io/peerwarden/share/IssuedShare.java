package io.peerwarden.share;

import java.time.Instant;

/**
 * A newly minted share link: the token (to be handed to the peer's user once: nowhere else keeps it), its
 * time to live in seconds (the seed's {@code token_ttl}) and when it expires.
 */
public record IssuedShare(String token, long ttlSeconds, Instant expiresAt) {

    /** The link's path on the API server (or {@link ShareServer}). */
    public String path() {
        return ShareHandler.PREFIX + token;
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "IssuedShare[ttlSeconds=" + ttlSeconds + ", expiresAt=" + expiresAt + "]";
    }
}
