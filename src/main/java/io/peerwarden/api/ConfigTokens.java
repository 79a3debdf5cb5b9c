package io.peerwarden.api;

import io.peerwarden.api.v1alpha1.VpnPeer;

import java.util.Optional;

/**
 * Mints the Altostrat {@code Peer.token}/{@code token_ttl}: a short-lived token with which a client fetches its
 * configuration. The share-links store implements it; without one the fields are null.
 */
public interface ConfigTokens {

    /** No tokens: {@code token} and {@code token_ttl} stay null. */
    ConfigTokens NONE = (peer, callerToken) -> Optional.empty();

    /**
     * @param peer        the peer as just read or written
     * @param callerToken the caller's own bearer token, to act as the caller (never stored, never logged)
     * @return the token, or empty where none is issued (a site peer, or the caller may not read the config)
     */
    Optional<IssuedToken> issue(VpnPeer peer, String callerToken);

    /** A minted token and its lifetime in seconds. */
    record IssuedToken(String token, long ttlSeconds) {
        @Override
        public String toString() {
            return "IssuedToken[ttlSeconds=" + ttlSeconds + "]";
        }
    }
}
