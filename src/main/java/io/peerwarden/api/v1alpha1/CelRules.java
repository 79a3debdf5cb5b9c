package io.peerwarden.api.v1alpha1;

/**
 * CEL validation rules the model's annotations put into the CRDs, built from {@link Formats} so the
 * API server and the operator check the same format. A format gets a CEL rule (rather than an
 * OpenAPI pattern) where the pattern is too long to show a user: the rule's message says what is
 * expected instead.
 *
 * <p>Rules use only what CEL offers on every Kubernetes release the CRDs support (1.25+): no
 * {@code messageExpression}, {@code reason} or {@code fieldPath}, no IP or CIDR library (1.31+).
 * Every string a rule reads has a maxLength and every list a maxItems, which keeps the API
 * server's cost estimate of the rule within its budget.
 */
public final class CelRules {

    public static final String WIREGUARD_ONLY = "self == '" + Formats.WIREGUARD + "'";
    public static final String WIREGUARD_ONLY_MESSAGE =
            "only protocol wireguard is supported: Peerwarden does not provide openvpn or other protocols";

    public static final String ALL_CIDRS = "self.all(c, c.matches(r'" + Formats.CIDR + "'))";

    public static final String ALL_DNS_ENTRIES = "self.all(d, d.matches(r'" + Formats.DNS_ENTRY + "'))";
    public static final String ALL_DNS_ENTRIES_MESSAGE = "DNS format is incorrect: entries are IPv4 or IPv6 addresses"
            + " (1.1.1.1, 2606:4700::1111) or search domains (corp.example.com), one per entry";

    public static final String ENDPOINT = "self.matches(r'" + Formats.ENDPOINT + "')";
    public static final String ENDPOINT_MESSAGE = "Endpoint format is incorrect: use host:port with a host name,"
            + " an IPv4 address or an [IPv6] address and a port from 1 to 65535 (vpn.example.com:51820, 203.0.113.7:51820, [2001:db8::7]:51820)";

    public static final String ENDPOINT_PORT_OPTIONAL = "self.matches(r'" + Formats.ENDPOINT_PORT_OPTIONAL + "')";
    public static final String ENDPOINT_PORT_OPTIONAL_MESSAGE = "Endpoint format is incorrect: use host[:port] with a host name,"
            + " an IPv4 address or an [IPv6] address and a port from 1 to 65535 (vpn.example.com, 203.0.113.7:51820, [2001:db8::7]:51820)";

    public static final String SINGLE_LINE_TEXT = "self.matches(r'" + Formats.SINGLE_LINE_TEXT + "')";
    public static final String SINGLE_LINE_TEXT_MESSAGE = "must be one line of text: no line breaks, tabs or other control characters";

    public static final String LABEL_KEYS_BOUNDED = "self.all(k, k.size() <= " + Formats.MAX_LABEL_KEY + ")";
    public static final String LABEL_KEYS_BOUNDED_MESSAGE = "label keys are at most " + Formats.MAX_LABEL_KEY
            + " characters (a prefix of up to 253, '/', and a name of up to 63)";

    private CelRules() {
    }
}
