package io.peerwarden.api.v1alpha1;

/** Stable CamelCase condition reasons. Users and tooling match on these: never rename one. */
public final class Reasons {

    // validation (the seeds' error table)
    public static final String INSTANCE_NOT_FOUND = "InstanceNotFound";
    public static final String ALLOWED_IP_TAKEN = "AllowedIPTaken";
    public static final String INVALID_ALLOWED_IPS = "InvalidAllowedIPs";
    public static final String INVALID_SUBNETS = "InvalidSubnets";
    public static final String FIELD_NOT_APPLICABLE = "FieldNotApplicable";
    public static final String INVALID_ENDPOINT_ALLOWED_IPS = "InvalidEndpointAllowedIPs";
    public static final String INVALID_DNS = "InvalidDNS";
    public static final String INVALID_MTU = "InvalidMTU";
    public static final String INVALID_KEEPALIVE = "InvalidKeepalive";
    public static final String INVALID_ENDPOINT = "InvalidEndpoint";
    public static final String INVALID_KEY = "InvalidKey";
    public static final String KEY_MISMATCH = "KeyMismatch";
    public static final String KEY_SECRET_NOT_FOUND = "KeySecretNotFound";
    /** A Secret the operator would write (config or generated key) exists and is not the operator's. */
    public static final String SECRET_NAME_TAKEN = "SecretNameTaken";
    public static final String UNSUPPORTED_PROTOCOL = "UnsupportedProtocol";
    public static final String INVALID_TYPE = "InvalidType";
    public static final String INVALID_DISPLAY_NAME = "InvalidDisplayName";
    public static final String INVALID_USER_ID = "InvalidUserId";
    public static final String INVALID_SITE_ID = "InvalidSiteId";

    // instance validation
    public static final String INVALID_ADDRESS = "InvalidAddress";
    public static final String INVALID_INTERFACE_NAME = "InvalidInterfaceName";
    public static final String INVALID_LISTEN_PORT = "InvalidListenPort";
    public static final String NODE_NOT_FOUND = "NodeNotFound";
    public static final String POOL_OVERLAP = "PoolOverlap";
    public static final String INSTANCE_NOT_READY = "InstanceNotReady";
    /** spec.endpoint is unset and the instance's node has no ExternalIP or InternalIP to derive it from. */
    public static final String ENDPOINT_UNKNOWN = "EndpointUnknown";

    // progress and success
    public static final String VALID = "Valid";
    public static final String ALLOCATED = "Allocated";
    public static final String FROM_SPEC = "FromSpec";
    public static final String POOL_EXHAUSTED = "PoolExhausted";
    public static final String RENDERED = "Rendered";
    /** The peer's config is too large for a QR code (long endpointAllowedIPs or dns lists). */
    public static final String CONFIG_TOO_LARGE = "ConfigTooLarge";
    /** The renderer refused a value of the peer's config that validation let through; the message names the field. */
    public static final String CONFIG_REJECTED = "ConfigRejected";
    public static final String KEY_GENERATED = "KeyGenerated";
    public static final String KEY_FROM_SECRET = "KeyFromSecret";
    public static final String READY = "Ready";
    public static final String NOT_VALID = "NotValid";
    public static final String WAITING_FOR_AGENT = "WaitingForAgent";
    public static final String RESTRICTED = "Restricted";

    // agent
    public static final String APPLIED = "Applied";
    public static final String WG_SET_FAILED = "WgSetFailed";
    public static final String INTERFACE_FAILED = "InterfaceFailed";
    public static final String HANDSHAKE_RECENT = "HandshakeRecent";
    public static final String NO_RECENT_HANDSHAKE = "NoRecentHandshake";

    // dataplane (forwarding, NAT, access rules)
    /** An entry of spec.access is not a valid rule; the message names the field. */
    public static final String INVALID_ACCESS_RULE = "InvalidAccessRule";
    /** The agent could not apply the instance's nftables rules or forwarding sysctls. */
    public static final String FIREWALL_FAILED = "FirewallFailed";
    /** Another nftables table's forward chain drops by default: forwarded peer traffic may be dropped there. */
    public static final String FORWARD_POLICY_DROP = "ForwardPolicyDrop";

    private Reasons() {
    }
}
