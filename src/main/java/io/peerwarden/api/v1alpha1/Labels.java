package io.peerwarden.api.v1alpha1;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Labels, annotations and Secret data keys shared by the operator and the node agent. Both sides
 * find the Secrets the operator writes through these, so they are part of the contract.
 */
public final class Labels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "peerwarden";
    /** Name of the VpnInstance a Secret belongs to. */
    public static final String INSTANCE = "vpn.peerwarden.io/instance";
    /** Name of the VpnPeer a config Secret belongs to. */
    public static final String PEER = "vpn.peerwarden.io/peer";
    /** What a managed Secret holds: {@link #COMPONENT_PEER_CONFIG} or {@link #COMPONENT_INSTANCE_KEY}. */
    public static final String COMPONENT = "vpn.peerwarden.io/component";
    public static final String COMPONENT_PEER_CONFIG = "peer-config";
    public static final String COMPONENT_INSTANCE_KEY = "instance-key";
    /** A Secret in the release namespace holding what one node's agent needs: its instances' server keys, their peers' PSKs. */
    public static final String COMPONENT_NODE_KEYS = "node-keys";
    /** The admission webhook's CA bundle and serving certificate, in the release namespace. */
    public static final String COMPONENT_WEBHOOK_TLS = "webhook-tls";
    /** A share link's record (a hash of its token, the peer, the expiry) in the peer's namespace: see core/share/ShareSecrets. */
    public static final String COMPONENT_SHARE_TOKEN = "share-token";
    /** On a node-keys Secret: the node it is for ({@link #labelValue} of the node name); the agent selects on it. */
    public static final String NODE = "vpn.peerwarden.io/node";
    /** On a node-keys Secret: UID of the VpnInstance whose entries it holds. */
    public static final String INSTANCE_UID = "vpn.peerwarden.io/instance-uid";
    /**
     * Namespace of the VpnInstance (the name is in {@link #INSTANCE_NAME_ANNOTATION}): on a node-keys Secret, and on
     * a peer's config Secret whose instance is in another namespace.
     */
    public static final String INSTANCE_NAMESPACE_ANNOTATION = "vpn.peerwarden.io/instance-namespace";

    /**
     * On a managed Secret: the full name of its VpnInstance. The {@link #INSTANCE} label holds at most
     * 63 characters of it ({@link #labelValue}), so the way back from a Secret to its instance is this.
     */
    public static final String INSTANCE_NAME_ANNOTATION = "vpn.peerwarden.io/instance-name";
    /** On a peer config Secret: the peer's tunnel addresses, the durable record of an allocation. */
    public static final String ALLOWED_IPS_ANNOTATION = "vpn.peerwarden.io/allowed-ips";
    /** On a peer config Secret: UID of the peer it was made for (a recreated peer gets fresh keys). */
    public static final String PEER_UID_ANNOTATION = "vpn.peerwarden.io/peer-uid";
    /**
     * On a generated key Secret made again after the one before was deleted: the public key it replaced
     * (or {@code preshared-key} when only a preshared key was lost). While it is there, the peer's
     * ConfigRendered / the instance's KeyReady say {@code KeysRegenerated}; removing it acknowledges.
     */
    public static final String KEYS_REGENERATED_ANNOTATION = "vpn.peerwarden.io/keys-regenerated";

    // Secret data keys
    public static final String PRIVATE_KEY = "privateKey";
    public static final String PUBLIC_KEY = "publicKey";
    public static final String PRESHARED_KEY = "presharedKey";
    /** wg-quick configuration of the peer. */
    public static final String CONFIG = "wg0.conf";
    /** PNG QR code of {@link #CONFIG}. */
    public static final String CONFIG_QR = "wg0.png";

    /** Label values hold at most 63 characters; object names (DNS subdomains) at most 253. */
    static final int MAX_LABEL_VALUE = 63;
    static final int MAX_NAME = 253;
    private static final int HASH_LENGTH = 10;

    public static String instanceKeySecretName(String instanceName) {
        return boundedName(instanceName, "-private-key");
    }

    public static String peerConfigSecretName(String peerName) {
        return boundedName(peerName, "-wireguard");
    }

    /**
     * A label value naming a resource: the name itself when it fits in a label value (63 characters),
     * else its start and a hash of the whole name, so a long name neither makes the API server refuse
     * the Secret nor collides with another long name of the same start.
     */
    public static String labelValue(String name) {
        return name.length() <= MAX_LABEL_VALUE ? name : shortened(name, MAX_LABEL_VALUE, "");
    }

    /** {@code base + suffix}, or where that passes 253 characters, a shortened base that stays unique. */
    public static String boundedName(String base, String suffix) {
        String name = base + suffix;
        return name.length() <= MAX_NAME ? name : shortened(base, MAX_NAME, suffix);
    }

    /** Start of {@code base} (cut back to an alphanumeric end), "-", a hash of {@code base}, suffix: at most {@code limit}. */
    private static String shortened(String base, int limit, String suffix) {
        String start = base.substring(0, limit - suffix.length() - HASH_LENGTH - 1);
        int end = start.length();
        while (end > 0 && !Character.isLetterOrDigit(start.charAt(end - 1))) {
            end--;
        }
        return start.substring(0, end) + "-" + hash(base) + suffix;
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private Labels() {
    }
}
