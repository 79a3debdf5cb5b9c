package io.peerwarden.core.validation;

import io.peerwarden.api.v1alpha1.Formats;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.core.net.Cidr;
import io.peerwarden.core.net.InvalidCidrException;
import io.peerwarden.core.text.SafeText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks both validators share. The formats and limits are the CRD schema's ({@link Formats}): the
 * API server refuses at {@code kubectl apply} what these report, so a condition only ever shows them
 * for an object that did not pass through the schema (stored before a CRD upgrade, or a test's mock).
 */
final class FieldChecks {

    private FieldChecks() {
    }

    /** {@code value} (optional) must lie in [min, max]. */
    static Optional<Problem> range(String reason, String field, Integer value, int min, int max, String what) {
        if (value == null || value >= min && value <= max) {
            return Optional.empty();
        }
        return Optional.of(new Problem(reason, field,
                what + " is out of range: " + field + " is " + value + ", use a value from " + min + " to " + max + "."));
    }

    static void mtu(List<Problem> problems, Integer mtu) {
        range(Reasons.INVALID_MTU, "spec.mtu", mtu, Formats.MIN_MTU, Formats.MAX_MTU, "MTU").ifPresent(problems::add);
    }

    static void persistentKeepalive(List<Problem> problems, Integer seconds) {
        range(Reasons.INVALID_KEEPALIVE, "spec.persistentKeepalive", seconds, 0, Formats.MAX_KEEPALIVE, "Persistent keepalive")
                .ifPresent(problems::add);
    }

    /** Absent means wireguard (the default); anything else is unsupported. */
    static void protocol(List<Problem> problems, String protocol) {
        if (protocol != null && !Formats.WIREGUARD.equals(protocol)) {
            problems.add(new Problem(Reasons.UNSUPPORTED_PROTOCOL, "spec.protocol",
                    "Protocol is not supported: spec.protocol is " + quote(protocol)
                            + ", only wireguard is supported (Peerwarden does not provide openvpn or other protocols)."));
        }
    }

    static void dns(List<Problem> problems, List<String> entries) {
        if (entries == null) {
            return;
        }
        if (tooMany(problems, entries, Formats.MAX_DNS_ENTRIES, Reasons.INVALID_DNS, "spec.dns", "DNS entries")) {
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            if (!fits(entry, Formats.MAX_HOST) || !Formats.matches(Formats.DNS_ENTRY, entry)) {
                String field = "spec.dns[" + i + "]";
                problems.add(new Problem(Reasons.INVALID_DNS, field, "DNS format is incorrect: " + field + " is " + quote(entry)
                        + ", use an IPv4 or IPv6 address (1.1.1.1, 2606:4700::1111) or a search domain (corp.example.com), one per entry."));
            }
        }
    }

    static void endpoint(List<Problem> problems, String endpoint, boolean portRequired) {
        String format = portRequired ? Formats.ENDPOINT : Formats.ENDPOINT_PORT_OPTIONAL;
        if (endpoint == null || fits(endpoint, Formats.MAX_HOST) && Formats.matches(format, endpoint)) {
            return;
        }
        String form = portRequired ? "host:port" : "host[:port]";
        problems.add(new Problem(Reasons.INVALID_ENDPOINT, "spec.endpoint", "Endpoint format is incorrect: spec.endpoint is "
                + quote(endpoint) + ", use " + form + " with a host name, an IPv4 address or an [IPv6] address and a port from 1 to 65535"
                + " (vpn.example.com:51820, 203.0.113.7:51820, [2001:db8::7]:51820)."));
    }

    /**
     * One line of free text of at most {@link Formats#MAX_TEXT} characters. The message never repeats
     * the value: it is what may carry a line break or a terminal escape sequence.
     */
    static void singleLineText(List<Problem> problems, String text, String reason, String field, String what) {
        if (text == null) {
            return;
        }
        int length = text.codePointCount(0, text.length());
        if (length > Formats.MAX_TEXT) {
            problems.add(new Problem(reason, field, what + " is too long: " + field + " has " + length
                    + " characters, use at most " + Formats.MAX_TEXT + "."));
        } else if (!Formats.matches(Formats.SINGLE_LINE_TEXT, text)) {
            problems.add(new Problem(reason, field, what + " is not one line of text: " + field
                    + " contains a line break, tab or other control character; remove it."));
        }
    }

    /** A Secret reference: the Secret's name and, when given, the key inside it. */
    static void secretRef(List<Problem> problems, SecretKeyRef ref, String field) {
        if (ref == null) {
            return;
        }
        String name = ref.getName();
        if (name == null || name.isEmpty()) {
            problems.add(new Problem(Reasons.INVALID_KEY, field + ".name", "Key Secret is not named: " + field
                    + ".name is empty; name the Secret holding the key."));
        } else if (!isObjectName(name)) {
            problems.add(new Problem(Reasons.INVALID_KEY, field + ".name", "Key Secret name is incorrect: " + field + ".name is "
                    + quote(name) + ", which no Secret can have: use lower-case letters, digits, '-' and '.' (at most 253)."));
        }
        String key = ref.getKey();
        if (key != null && !(fits(key, Formats.MAX_NAME) && Formats.matches(Formats.SECRET_DATA_KEY, key))) {
            problems.add(new Problem(Reasons.INVALID_KEY, field + ".key", "Key name is incorrect: " + field + ".key is " + quote(key)
                    + ", which no Secret can hold: use letters, digits, '-', '_' and '.' (not . or ..), or remove it for the default."));
        }
    }

    /** A Kubernetes object name (RFC 1123 subdomain). */
    static boolean isObjectName(String name) {
        return fits(name, Formats.MAX_NAME) && Formats.matches(Formats.OBJECT_NAME, name);
    }

    /** More than {@code max} entries is one problem on the list, and the entries are not looked at. */
    static boolean tooMany(List<Problem> problems, List<String> entries, int max, String reason, String field, String what) {
        if (entries.size() <= max) {
            return false;
        }
        problems.add(new Problem(reason, field, "Too many " + what + ": " + field + " has " + entries.size()
                + " entries, use at most " + max + "."));
        return true;
    }

    /** Parses a list of CIDRs; invalid entries become problems, valid ones are returned with their index. */
    static List<Indexed> cidrs(List<Problem> problems, List<String> texts, String fieldName, String reason, String what) {
        List<Indexed> parsed = new ArrayList<>();
        if (texts == null) {
            return parsed;
        }
        for (int i = 0; i < texts.size(); i++) {
            String field = fieldName + "[" + i + "]";
            String text = texts.get(i);
            // the schema's format first, so nothing the API server refuses passes here; the parser
            // then gives the value (and would catch a form the format lets through)
            Optional<Cidr> cidr = fits(text, Formats.MAX_CIDR) && Formats.matches(Formats.CIDR, text) ? parse(text) : Optional.empty();
            if (cidr.isPresent()) {
                parsed.add(new Indexed(i, field, cidr.get()));
            } else {
                problems.add(new Problem(reason, field, what + " format is incorrect: " + field + " is " + quote(text)
                        + ", use a CIDR such as 10.24.0.2/32 or fd00:24::2/128."));
            }
        }
        return parsed;
    }

    private static Optional<Cidr> parse(String text) {
        try {
            return Optional.of(Cidr.parse(text));
        } catch (InvalidCidrException e) {
            return Optional.empty();
        }
    }

    /** Entries that overlap an earlier entry of the same list (duplicates, or one inside another) become problems. */
    static void noOverlapWithinList(List<Problem> problems, List<Indexed> entries, String reason, String what) {
        for (int i = 0; i < entries.size(); i++) {
            for (int j = 0; j < i; j++) {
                Indexed earlier = entries.get(j);
                Indexed later = entries.get(i);
                if (earlier.cidr().overlaps(later.cidr())) {
                    String how = earlier.cidr().network().equals(later.cidr().network()) ? "duplicates" : "overlaps";
                    problems.add(new Problem(reason, later.field(), what + " listed twice: " + later.field() + " " + later.cidr()
                            + " " + how + " " + earlier.field() + " " + earlier.cidr() + ", list each network once."));
                    break;
                }
            }
        }
    }

    /** At most {@code max} characters, counted in code points as the API server's maxLength counts them. */
    static boolean fits(String text, int max) {
        return text != null && text.codePointCount(0, text.length()) <= max;
    }

    /** A bad value as a message shows it ({@link SafeText#quote}: quoted, escaped, cut). */
    static String quote(String value) {
        return SafeText.quote(value);
    }

    /** A parsed list entry and where it came from. */
    record Indexed(int index, String field, Cidr cidr) {
    }
}
