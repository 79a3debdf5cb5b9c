package io.peerwarden.core.share;

import io.peerwarden.api.v1alpha1.Labels;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a share link's record is laid out as a Secret in the peer's namespace: named
 * {@link ShareToken#recordName()}, labelled as Peerwarden's ({@code component=share-token}, the peer), the
 * peer's full name, UID and the expiry as annotations, and the token's SHA-256 as its only data. The
 * token itself is never written anywhere.
 */
public final class ShareSecrets {

    /** Full name of the peer whose config the token opens ({@link Labels#PEER} holds at most 63 characters of it). */
    public static final String PEER_NAME_ANNOTATION = "vpn.peerwarden.io/share-peer";
    /** When the token stops working, ISO-8601 UTC. */
    public static final String EXPIRES_AT_ANNOTATION = "vpn.peerwarden.io/share-expires-at";
    /** Data key: SHA-256 of the token, hex. */
    public static final String TOKEN_HASH = "tokenHash";
    /** Label selector of one peer's records (for revoking them all). */
    public static String selector(String peerName) {
        return Labels.COMPONENT + "=" + Labels.COMPONENT_SHARE_TOKEN + "," + Labels.PEER + "=" + Labels.labelValue(peerName);
    }

    private ShareSecrets() {
    }

    public static Map<String, String> labels(ShareGrant grant) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        labels.put(Labels.COMPONENT, Labels.COMPONENT_SHARE_TOKEN);
        labels.put(Labels.PEER, Labels.labelValue(grant.peerName()));
        return labels;
    }

    public static Map<String, String> annotations(ShareGrant grant) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(PEER_NAME_ANNOTATION, grant.peerName());
        annotations.put(Labels.PEER_UID_ANNOTATION, grant.peerUid());
        annotations.put(EXPIRES_AT_ANNOTATION, grant.expiresAt().toString());
        return annotations;
    }

    /** The Secret's data, not yet base64-encoded. */
    public static Map<String, String> data(ShareGrant grant) {
        return Map.of(TOKEN_HASH, grant.tokenHash());
    }

    /**
     * The grant a Secret records, or empty when it is not a complete share record (another component's
     * Secret that happens to have the name, an edited one): such a Secret opens nothing.
     *
     * @param data the Secret's data, base64-decoded
     */
    public static Optional<ShareGrant> read(String namespace, Map<String, String> labels, Map<String, String> annotations,
                                            Map<String, String> data) {
        if (labels == null || annotations == null || data == null
                || !Labels.COMPONENT_SHARE_TOKEN.equals(labels.get(Labels.COMPONENT))) {
            return Optional.empty();
        }
        String peer = annotations.get(PEER_NAME_ANNOTATION);
        String uid = annotations.get(Labels.PEER_UID_ANNOTATION);
        String expires = annotations.get(EXPIRES_AT_ANNOTATION);
        String hash = data.get(TOKEN_HASH);
        if (peer == null || uid == null || expires == null || hash == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ShareGrant(namespace, peer, uid, hash.strip(), Instant.parse(expires)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
