package io.peerwarden.core.validation;

import io.peerwarden.core.net.IpAddresses;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A WireGuard endpoint {@code host[:port]}: a DNS host name, an IPv4 address or an IPv6 address in
 * brackets ({@code [fd00::1]:51820}).
 *
 * @param host the host without brackets
 * @param port the port when given
 */
public record Endpoint(String host, OptionalInt port) {

    /** The endpoint as WireGuard expects it, IPv6 in brackets. */
    @Override
    public String toString() {
        String h = IpAddresses.parseIPv6(host).isPresent() ? "[" + host + "]" : host;
        return port.isPresent() ? h + ":" + port.getAsInt() : h;
    }

    /**
     * Parses {@code host[:port]}; with {@code portRequired} a missing port is invalid. Empty when
     * the text is not a valid endpoint.
     */
    public static Optional<Endpoint> parse(String text, boolean portRequired) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        String host;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (rest.isEmpty()) {
                portText = null;
            } else if (rest.startsWith(":")) {
                portText = rest.substring(1);
            } else {
                return Optional.empty();
            }
            if (IpAddresses.parseIPv6(host).isEmpty()) {
                return Optional.empty();
            }
        } else {
            int colon = text.lastIndexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            portText = colon < 0 ? null : text.substring(colon + 1);
            // an unbracketed IPv6 address is ambiguous with a port: only IPv4 or a host name here
            if (IpAddresses.parseIPv4(host).isEmpty() && !HostNames.isHostName(host)) {
                return Optional.empty();
            }
        }
        if (portText == null) {
            return portRequired ? Optional.empty() : Optional.of(new Endpoint(host, OptionalInt.empty()));
        }
        OptionalInt port = parsePort(portText);
        return port.isPresent() ? Optional.of(new Endpoint(host, port)) : Optional.empty();
    }

    /** A decimal port 1–65535 without sign or leading zeros. */
    static OptionalInt parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || text.charAt(0) == '0') {
            return OptionalInt.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return OptionalInt.empty();
            }
        }
        int port = Integer.parseInt(text);
        return port <= 65535 ? OptionalInt.of(port) : OptionalInt.empty();
    }
}
