package io.peerwarden.core.validation;

import io.peerwarden.core.net.IpAddresses;

/** DNS names as RFC 1123 allows them for hosts and search domains, and DNS entries of a config. */
final class HostNames {

    private HostNames() {
    }

    /**
     * RFC 1123 host name: at most 253 characters, dot-separated labels of 1–63 letters, digits and
     * hyphens, not starting or ending with a hyphen. The last label must not be all digits (RFC 3696),
     * so a malformed IPv4 address such as 10.0.0.300 is not taken for a name.
     */
    static boolean isHostName(String text) {
        if (text == null || text.isEmpty() || text.length() > 253) {
            return false;
        }
        String[] labels = text.split("\\.", -1);
        for (String label : labels) {
            if (!isLabel(label)) {
                return false;
            }
        }
        return !labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isLabel(String label) {
        if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
            return false;
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A DNS entry of a WireGuard config: a resolver's IP address (IPv4 or IPv6) or a search domain. */
    static boolean isDnsEntry(String text) {
        return IpAddresses.parse(text).isPresent() || isHostName(text);
    }
}
