package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.validation.Problem;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who holds which public key in one instance (across all the namespaces its peers come from).
 * WireGuard identifies a peer by its public key, so two peers with one key would overwrite each
 * other on the interface: claims go in seniority order and the first holder keeps the key; the
 * instance's own key is held by the instance from the start. A peer holds the key it brought
 * ({@code spec.publicKey} or the one of its Secret) even while it has other problems, as it holds
 * its declared addresses, so fixing a typo never moves a key to another peer.
 */
final class PublicKeyClaims {

    private final Map<String, String> holders = new HashMap<>();
    private final String instanceKey;

    /**
     * @param instanceKey       the instance's namespace/name
     * @param instancePublicKey the instance's own public key, or null when it has none yet
     */
    PublicKeyClaims(String instanceKey, String instancePublicKey) {
        this.instanceKey = instanceKey;
        if (instancePublicKey != null) {
            holders.put(instancePublicKey, null);
        }
    }

    /**
     * Claims {@code publicKey} for the peer {@code w}, or returns the problem when another holds it.
     *
     * @param field where the key comes from (spec.publicKey or spec.privateKeySecretRef)
     */
    Optional<Problem> claim(PeerWork w, String publicKey, String field) {
        if (publicKey == null) {
            return Optional.empty();
        }
        if (!holders.containsKey(publicKey)) {
            holders.put(publicKey, w.key);
            return Optional.empty();
        }
        String holder = holders.get(publicKey);
        if (w.key.equals(holder)) {
            return Optional.empty();
        }
        if (holder == null) {
            return Optional.of(new Problem(Reasons.PUBLIC_KEY_TAKEN, field, "Public key already used by VpnInstance "
                    + instanceKey + " itself: a peer needs a key pair of its own (" + field
                    + "); generate one with wg genkey, or remove the key fields to have one generated."));
        }
        return Optional.of(new Problem(Reasons.PUBLIC_KEY_TAKEN, field, "Public key already used by peer " + holder
                + " of this instance (VpnInstance " + instanceKey + "), which had it first: WireGuard tells peers apart by"
                + " their public key, so give this peer a key pair of its own (" + field + ") or remove the key fields to have one generated."));
    }
}
