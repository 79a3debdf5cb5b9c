package io.peerwarden.core.net;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.Optional;

/** Parsing of single IP addresses (no prefix length), with the same strict rules as {@link Cidr}. */
public final class IpAddresses {

    private IpAddresses() {
    }

    /** The IPv4 or IPv6 address {@code text} denotes, or empty when it is not exactly one address without prefix. */
    public static Optional<IPAddress> parse(String text) {
        if (text == null || text.isEmpty() || !text.strip().equals(text)) {
            return Optional.empty();
        }
        IPAddress address = new IPAddressString(text, Cidr.STRICT).getAddress();
        if (address == null || address.getNetworkPrefixLength() != null || address.isMultiple()) {
            return Optional.empty();
        }
        return Optional.of(address);
    }

    /** Like {@link #parse} but only IPv6 addresses. */
    public static Optional<IPAddress> parseIPv6(String text) {
        return parse(text).filter(IPAddress::isIPv6);
    }

    /** Like {@link #parse} but only IPv4 addresses. */
    public static Optional<IPAddress> parseIPv4(String text) {
        return parse(text).filter(IPAddress::isIPv4);
    }
}
