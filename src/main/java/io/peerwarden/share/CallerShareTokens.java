package io.peerwarden.share;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerwarden.api.CallerWrites;
import io.peerwarden.api.ConfigTokens;
import io.peerwarden.api.v1alpha1.VpnPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * The Altostrat {@code Peer.token}: a share link minted with the caller's own credentials, exactly as
 * {@code peerwarden share} would mint it for the same user. So a token is issued only to someone who may create
 * Secrets in the peer's namespace (and so could read its config Secret anyway); for anyone else, and for site peers
 * (which have no client config to fetch), {@code token} stays null. Every answer that carries a token mints a new one;
 * expired ones of the same peer are removed as the next is minted.
 */
public final class CallerShareTokens implements ConfigTokens {

    private static final Logger LOG = LoggerFactory.getLogger(CallerShareTokens.class);

    private final CallerWrites callers;
    private final Duration ttl;

    public CallerShareTokens(CallerWrites callers, Duration ttl) {
        this.callers = callers;
        this.ttl = ttl;
    }

    @Override
    public Optional<IssuedToken> issue(VpnPeer peer, String callerToken) {
        if (peer.getSpec() == null || !"client".equals(peer.getSpec().getType())) {
            return Optional.empty();
        }
        try (KubernetesClient asCaller = callers.clientFor(callerToken)) {
            IssuedShare share = new ShareIssuer(asCaller).issue(peer, ttl);
            return Optional.of(new IssuedToken(share.token(), share.ttlSeconds()));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
                // the answer goes out without a token; the reason is in the log, never the token or the caller's credentials
                LOG.warn("could not mint a config token for a VpnPeer (HTTP {}); the answer carries none", e.getCode());
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            // the peer was read (or a PUT already written): a link that could not be made must not turn that into a 500
            LOG.warn("could not mint a config token for a VpnPeer ({}); the answer carries none", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }
}
