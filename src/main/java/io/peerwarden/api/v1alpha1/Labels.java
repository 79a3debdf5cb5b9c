package io.peerwarden.api.v1alpha1;

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

    /** On a peer config Secret: the peer's tunnel addresses, the durable record of an allocation. */
    public static final String ALLOWED_IPS_ANNOTATION = "vpn.peerwarden.io/allowed-ips";
    /** On a peer config Secret: UID of the peer it was made for (a recreated peer gets fresh keys). */
    public static final String PEER_UID_ANNOTATION = "vpn.peerwarden.io/peer-uid";

    // Secret data keys
    public static final String PRIVATE_KEY = "privateKey";
    public static final String PUBLIC_KEY = "publicKey";
    public static final String PRESHARED_KEY = "presharedKey";
    /** wg-quick configuration of the peer. */
    public static final String CONFIG = "wg0.conf";
    /** PNG QR code of {@link #CONFIG}. */
    public static final String CONFIG_QR = "wg0.png";

    public static String instanceKeySecretName(String instanceName) {
        return instanceName + "-private-key";
    }

    public static String peerConfigSecretName(String peerName) {
        return peerName + "-wireguard";
    }

    private Labels() {
    }
}
