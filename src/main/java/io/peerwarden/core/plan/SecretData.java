package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnPeer;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reading Secrets as the planner sees them: base64 values, and whose a Secret is. */
final class SecretData {

    private SecretData() {
    }

    /** Only Secrets this operator created are read as its own or ever written: a user's Secret is never modified. */
    static boolean ours(SecretLookup.SecretState secret) {
        return Labels.MANAGED_BY_VALUE.equals(secret.labels().get(Labels.MANAGED_BY));
    }

    /** A peer's config Secret made for this very peer (not for an earlier peer of the same name). */
    static boolean madeFor(SecretLookup.SecretState secret, VpnPeer peer) {
        String uid = secret.annotations().get(Labels.PEER_UID_ANNOTATION);
        return uid == null || uid.equals(peer.getMetadata().getUid());
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The decoded value, or null when it is missing or not base64. */
    static String unb64(String value) {
        if (value == null) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
