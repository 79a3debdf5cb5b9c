package io.peerwarden.core.share;

import java.time.Instant;
import java.util.Objects;

/**
 * What a share link's record says: the peer (namespace, name, UID) whose config the token opens, the
 * token's hash and when it expires. The one place that decides whether a token opens it ({@link #admits}).
 */
public record ShareGrant(String namespace, String peerName, String peerUid, String tokenHash, Instant expiresAt) {

    public ShareGrant {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(peerName, "peerName");
        Objects.requireNonNull(peerUid, "peerUid");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The record of a newly minted token for a peer. */
    public static ShareGrant of(ShareToken token, String peerName, String peerUid, Instant expiresAt) {
        return new ShareGrant(token.namespace(), peerName, peerUid, token.hash(), expiresAt);
    }

    /** True when {@code token} is the one this record was made for and it has not expired at {@code now}. */
    public boolean admits(ShareToken token, Instant now) {
        return token.hashEquals(tokenHash) && token.namespace().equals(namespace) && !expired(now);
    }

    /** True from the expiry on. */
    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
