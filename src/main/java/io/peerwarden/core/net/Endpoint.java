package io.peerwarden.core.net;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import java.util.Optional;

/**
 * A WireGuard endpoint, {@code host:port}: a DNS name, an IPv4 address or a bracketed IPv6 address
 * ({@code vpn.example.com:51820}, {@code 192.0.2.1:51820}, {@code [fd00::1]:51820}). The one place
 * endpoint text is taken apart; the CRD schema and the validators decide what text is well formed
 * ({@code Formats.ENDPOINT}), this reads text already checked.
 *
 * @param host the host without brackets
 * @param port the UDP port, or null where the text named none
 */
public record Endpoint(String host, Integer port) {

    /**
     * Reads {@code host[:port]}; empty for null or blank text. A bare IPv6 address (no brackets, so
     * its colons are no port separator) is read as a host without a port.
     */
    public static Optional<Endpoint> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String value = text.strip();
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                return Optional.of(new Endpoint(value, null));
            }
            String host = value.substring(1, close);
            String rest = value.substring(close + 1);
            return Optional.of(new Endpoint(host, rest.startsWith(":") ? portOf(rest.substring(1)) : null));
        }
        int colon = value.lastIndexOf(':');
        if (colon < 0 || value.indexOf(':') != colon) {
            return Optional.of(new Endpoint(value, null));
        }
        return Optional.of(new Endpoint(value.substring(0, colon), portOf(value.substring(colon + 1))));
    }

    private static Integer portOf(String text) {
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** This endpoint, with {@code port} where it names none. */
    public Endpoint withDefaultPort(int defaultPort) {
        return port != null ? this : new Endpoint(host, defaultPort);
    }

    /** Whether the host is an IP address (a DNS name is resolved by {@code wg} when it is set). */
    public boolean isIpLiteral() {
        return new IPAddressString(host).isIPAddress();
    }

    /**
     * The text as {@code wg show} prints it: an IP host in canonical form ({@code [FD00:0::1]:51820} →
     * {@code [fd00::1]:51820}); a DNS name as written.
     */
    public String canonical() {
        IPAddressString parsed = new IPAddressString(host);
        if (!parsed.isIPAddress()) {
            return toString();
        }
        IPAddress address = parsed.getAddress().withoutPrefixLength();
        return new Endpoint(address.toCanonicalString(), port).toString();
    }

    /** {@code host:port}, IPv6 hosts in brackets; {@code host} alone where no port is known. */
    @Override
    public String toString() {
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        return port == null ? shownHost : shownHost + ":" + port;
    }
}
