package io.peerwarden.api.v1alpha1;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The text formats of spec fields, and their limits, in one place: the CRD schema (patterns and CEL
 * rules in the model's annotations) and the operator's validation ({@code io.peerwarden.core.validation})
 * both use these constants, so a value the API server rejects at {@code kubectl apply} is one the
 * operator rejects too, and the other way round.
 *
 * <p>The expressions are written for both regex engines that apply them: RE2 (the API server's
 * OpenAPI patterns and CEL {@code matches}) and {@code java.util.regex}. So: no lookaround, no
 * backreferences, no backslash escapes other than {@code \p{..}} and {@code \[ \]} (a dot is
 * {@code [.]}), anchored with {@code ^...$} and applied to the whole value ({@link #matches}).
 * CEL rules embed them in raw strings ({@code r'...'}), which keep backslashes as they are.
 */
public final class Formats {

    // ---- building blocks ----------------------------------------------------------------------

    /** 0–255 without leading zeros: 010.0.0.1 is refused, as inet_aton would read it as octal. */
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final String IPV4 = OCTET + "([.]" + OCTET + "){3}";
    private static final String HEX = "[0-9A-Fa-f]{1,4}";
    /** The RFC 4291 text forms: eight groups, "::" for one or more zero groups, an IPv4 tail; no zone. */
    private static final String IPV6 = "("
            + "(" + HEX + ":){7}" + HEX
            + "|(" + HEX + ":){1,7}:"
            + "|(" + HEX + ":){1,6}:" + HEX
            + "|(" + HEX + ":){1,5}(:" + HEX + "){1,2}"
            + "|(" + HEX + ":){1,4}(:" + HEX + "){1,3}"
            + "|(" + HEX + ":){1,3}(:" + HEX + "){1,4}"
            + "|(" + HEX + ":){1,2}(:" + HEX + "){1,5}"
            + "|" + HEX + ":(:" + HEX + "){1,6}"
            + "|:((:" + HEX + "){1,7}|:)"
            + "|(" + HEX + ":){6}" + IPV4
            + "|::(" + HEX + ":){0,5}" + IPV4
            + "|" + HEX + "::(" + HEX + ":){0,4}" + IPV4
            + "|(" + HEX + ":){2}:(" + HEX + ":){0,3}" + IPV4
            + "|(" + HEX + ":){3}:(" + HEX + ":){0,2}" + IPV4
            + "|(" + HEX + ":){4}:(" + HEX + ":){0,1}" + IPV4
            + "|(" + HEX + ":){5}:" + IPV4
            + ")";
    private static final String IPV4_PREFIX = "(3[0-2]|[12][0-9]|[0-9])";
    private static final String IPV6_PREFIX = "(12[0-8]|1[01][0-9]|[1-9][0-9]|[0-9])";
    /** An RFC 1123 label: 1–63 letters, digits and hyphens, no hyphen at either end. */
    private static final String LABEL = "[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?";
    /**
     * The last label of a host name starts with a letter (every top-level domain does), so a
     * malformed IPv4 address such as 999.1.1.1 or 10.0.0 is never taken for a name.
     */
    private static final String TOP_LABEL = "[A-Za-z]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?";
    private static final String HOST_NAME = "(" + LABEL + "[.])*" + TOP_LABEL;
    /** 1–65535 in decimal without sign or leading zeros. */
    private static final String PORT = "([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";
    private static final String ENDPOINT_HOST = "(" + HOST_NAME + "|" + IPV4 + "|\\[" + IPV6 + "\\])";
    private static final String DNS_LABEL_LOWER = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

    // ---- formats ------------------------------------------------------------------------------

    /** An IPv4 or IPv6 prefix ("10.24.0.1/24", "fd00::/64") or a bare address (a host prefix). */
    public static final String CIDR = "^(" + IPV4 + "([/]" + IPV4_PREFIX + ")?|" + IPV6 + "([/]" + IPV6_PREFIX + ")?)$";
    /** A DNS entry of a WireGuard config: a resolver's IPv4 or IPv6 address, or a search domain. */
    public static final String DNS_ENTRY = "^(" + IPV4 + "|" + IPV6 + "|" + HOST_NAME + ")$";
    /** {@code host:port} with a host name, an IPv4 address or an IPv6 address in brackets. */
    public static final String ENDPOINT = "^" + ENDPOINT_HOST + ":" + PORT + "$";
    /** {@code host[:port]}: like {@link #ENDPOINT}, the port may be left out. */
    public static final String ENDPOINT_PORT_OPTIONAL = "^" + ENDPOINT_HOST + "(:" + PORT + ")?$";
    /**
     * A Linux interface name (at most 15 bytes, no '/', ':' or space; the kernel refuses "." and "..").
     * It starts with a letter, digit or one of _=+, as `ip` and `wg` would read a leading '-' as an
     * option and a leading '.' is never meant.
     */
    public static final String INTERFACE_NAME = "^[a-zA-Z0-9_=+][a-zA-Z0-9_=+.-]{0,14}$";
    /** A Kubernetes object name (RFC 1123 subdomain), as Secrets, Nodes and VpnInstances have; at most {@link #MAX_NAME}. */
    public static final String OBJECT_NAME = "^" + DNS_LABEL_LOWER + "([.]" + DNS_LABEL_LOWER + ")*$";
    /** A namespace name (RFC 1123 label); at most {@link #MAX_NAMESPACE}. */
    public static final String NAMESPACE_NAME = "^" + DNS_LABEL_LOWER + "$";
    /** A key of a Secret's data: letters, digits and -._, not "." or "..", not starting with ".."; at most {@link #MAX_NAME}. */
    public static final String SECRET_DATA_KEY = "^[.]?[-_a-zA-Z0-9][-._a-zA-Z0-9]*$";
    /** A WireGuard key as wg prints it: the canonical base64 of 32 bytes (43 characters, the last of 4 bits, and '='). */
    public static final String WIREGUARD_KEY = "^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$";
    /**
     * Free text: anything but control characters (C0, DEL, C1: newline, tab, escape, NUL...) and
     * the Unicode line and paragraph separators, so a value can neither break a line of a config or
     * log nor send escape sequences to a terminal.
     */
    public static final String SINGLE_LINE_TEXT = "^[^\\p{Cc}\\p{Zl}\\p{Zp}]*$";

    // ---- limits -------------------------------------------------------------------------------

    public static final int MAX_NAME = 253;
    public static final int MAX_NAMESPACE = 63;
    /** displayName, userId and siteId, in characters (code points, as the API server counts). */
    public static final int MAX_TEXT = 253;
    /** Longest host name; also bounds an endpoint with its port. */
    public static final int MAX_HOST = 253;
    /** Longest CIDR text is 49 characters (IPv6 with an IPv4 tail and /128); the bound keeps CEL's cost estimate low. */
    public static final int MAX_CIDR = 64;
    public static final int MAX_DNS_ENTRIES = 16;
    public static final int MAX_ALLOWED_IPS = 16;
    public static final int MAX_SUBNETS = 256;
    /**
     * The lists of a client config are bounded so that a full config still fits a QR code (2331
     * bytes): 16 allowed IPs, 16 DNS servers and 64 endpoint allowed IPs, all IPv4, with a 253-character
     * endpoint, keys and every optional line come to about 2280 bytes. Longer entries (IPv6 routes,
     * long search domains) can still overflow it: that peer is {@code ConfigTooLarge}.
     */
    public static final int MAX_ENDPOINT_ALLOWED_IPS = 64;
    /** Labels in a VpnInstance's nodeSelector. */
    public static final int MAX_NODE_SELECTOR = 16;
    /** A label key: an optional DNS-subdomain prefix (253) and '/', and a name of 63. */
    public static final int MAX_LABEL_KEY = 317;
    public static final int MAX_LABEL_VALUE = 63;
    public static final int MIN_MTU = 1280;
    public static final int MAX_MTU = 9000;
    public static final int MAX_KEEPALIVE = 65535;
    public static final int MIN_PORT = 1;
    public static final int MAX_PORT = 65535;
    public static final int MAX_ACCESS_RULES = 64;
    public static final String WIREGUARD = "wireguard";

    private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

    private Formats() {
    }

    /** True when the whole of {@code text} has the given format (one of the constants above). */
    public static boolean matches(String format, String text) {
        return text != null && COMPILED.computeIfAbsent(format, Pattern::compile).matcher(text).matches();
    }
}
