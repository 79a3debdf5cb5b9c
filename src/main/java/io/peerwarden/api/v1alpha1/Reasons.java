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
    /** The agent: the operator has not (yet) published the instance's server key for this node. */
    public static final String KEY_NOT_PUBLISHED = "KeyNotPublished";
    /** A Secret the operator would write (config or generated key) exists and is not the operator's. */
    public static final String SECRET_NAME_TAKEN = "SecretNameTaken";
    public static final String UNSUPPORTED_PROTOCOL = "UnsupportedProtocol";
    public static final String INVALID_TYPE = "InvalidType";
    public static final String INVALID_DISPLAY_NAME = "InvalidDisplayName";
    public static final String INVALID_USER_ID = "InvalidUserId";
    public static final String INVALID_SITE_ID = "InvalidSiteId";
    /** Another peer of the same instance (or the instance itself) holds the peer's public key. */
    public static final String PUBLIC_KEY_TAKEN = "PublicKeyTaken";
    /** The peer's namespace is not one the instance's spec.peerNamespaces lets attach. */
    public static final String NOT_ALLOWED = "NotAllowed";

    // instance validation
    public static final String INVALID_ADDRESS = "InvalidAddress";
    public static final String INVALID_INTERFACE_NAME = "InvalidInterfaceName";
    public static final String INVALID_LISTEN_PORT = "InvalidListenPort";
    public static final String NODE_NOT_FOUND = "NodeNotFound";
    public static final String POOL_OVERLAP = "PoolOverlap";
    public static final String INVALID_PEER_NAMESPACES = "InvalidPeerNamespaces";
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
    /** The Secret holding generated keys was deleted: new keys were generated; old configs no longer work. */
    public static final String KEYS_REGENERATED = "KeysRegenerated";
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
    /** A link of the instance's interface name exists on the node and is not the agent's: it is left alone. */
    public static final String INTERFACE_IN_USE = "InterfaceInUse";
    /** A route for one of a site's subnets already exists on the node and is not the agent's: it is left alone. */
    public static final String ROUTE_CONFLICT = "RouteConflict";

    // robustness
    /** An unexpected error while planning one peer; the instance's other peers are planned as usual. */
    public static final String INTERNAL_ERROR = "InternalError";

    // install policy and per-node uniqueness (issue 10)
    public static final String ACCEPTED = "Accepted";
    /** The instance's node does not carry the install policy's policy.nodeSelector labels. */
    public static final String NODE_NOT_ALLOWED = "NodeNotAllowed";
    /** The interface name does not start with the install policy's policy.interfacePrefix (the prefix the node agent owns). */
    public static final String INTERFACE_NAME_NOT_ALLOWED = "InterfaceNameNotAllowed";
    /** spec.listenPort lies outside the install policy's policy.listenPorts. */
    public static final String LISTEN_PORT_NOT_ALLOWED = "ListenPortNotAllowed";
    /** A site subnet the install policy does not allow (denied, always denied, or outside the allowed networks). */
    public static final String SUBNET_NOT_ALLOWED = "SubnetNotAllowed";
    /** A senior instance on the same node holds the interface name. */
    public static final String INTERFACE_NAME_TAKEN = "InterfaceNameTaken";
    /** A senior instance on the same node holds the listen port (or no port of the range is free there). */
    public static final String LISTEN_PORT_TAKEN = "ListenPortTaken";
    /** Agent: the operator has not accepted the instance's current generation yet; nothing is changed. */
    public static final String WAITING_FOR_OPERATOR = "WaitingForOperator";
    /** Agent: the operator refused the instance (Accepted=False); its interface is not applied. */
    public static final String NOT_ACCEPTED = "NotAccepted";

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
