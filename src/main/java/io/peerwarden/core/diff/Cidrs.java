package io.peerwarden.core.diff;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import java.util.LinkedHashSet;
import java.util.Set;

/** Canonical text of allowed IPs, so desired and live values compare equal when they mean the same. */
public final class Cidrs {

    private Cidrs() {
    }

    /**
     * A network as WireGuard stores an allowed IP: host bits cleared, explicit prefix, IPv6 compressed
     * ({@code 10.0.0.5} → {@code 10.0.0.5/32}, {@code 10.0.1.7/24} → {@code 10.0.1.0/24}, {@code FD00:0::2} →
     * {@code fd00::2/128}). Text that is not an address is returned unchanged (it then simply never matches).
     */
    public static String network(String cidr) {
        String fast = ipv4Network(cidr);
        return fast != null ? fast : libraryNetwork(cidr);
    }

    /** {@link #network} by the address library, for every form. */
    static String libraryNetwork(String cidr) {
        try {
            IPAddress address = new IPAddressString(cidr.strip()).toAddress();
            if (address.getNetworkPrefixLength() == null) {
                address = address.setPrefixLength(address.getBitCount(), false);
            }
            return address.toPrefixBlock().toCanonicalString();
        } catch (AddressStringException | RuntimeException e) {
            return cidr;
        }
    }

    /**
     * The common case without the address library (10,000 peers' allowed IPs are compared on every full pass): a plain
     * dotted-quad IPv4 address, optionally with a prefix, in decimal without leading zeros; null for anything else,
     * which the library then parses (the library's answer for these inputs is the same, see CidrsTest).
     */
    static String ipv4Network(String cidr) {
        int n = cidr.length();
        if (n < 7 || n > 18) {
            return null;
        }
        long address = 0;
        int octets = 0;
        int i = 0;
        while (true) {
            int start = i;
            int value = 0;
            while (i < n && cidr.charAt(i) >= '0' && cidr.charAt(i) <= '9' && i - start < 3) {
                value = value * 10 + (cidr.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && cidr.charAt(start) == '0')) {
                return null;
            }
            address = (address << 8) | value;
            octets++;
            if (octets == 4) {
                break;
            }
            if (i >= n || cidr.charAt(i) != '.') {
                return null;
            }
            i++;
        }
        int prefix = 32;
        if (i < n) {
            if (cidr.charAt(i) != '/' || i + 1 >= n || n - i - 1 > 2) {
                return null;
            }
            prefix = 0;
            for (int j = i + 1; j < n; j++) {
                char c = cidr.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                prefix = prefix * 10 + (c - '0');
            }
            if (prefix > 32 || (n - i - 1 == 2 && cidr.charAt(i + 1) == '0')) {
                return null;
            }
        }
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        long network = address & mask;
        return ((network >> 24) & 0xFF) + "." + ((network >> 16) & 0xFF) + "." + ((network >> 8) & 0xFF) + "." + (network & 0xFF)
                + "/" + prefix;
    }

    /**
     * An interface address as {@code ip address} shows it: host bits kept, explicit prefix
     * ({@code 10.24.0.1/24}, {@code fd00:24::1/64}).
     */
    public static String interfaceAddress(String cidr) {
        try {
            IPAddress address = new IPAddressString(cidr.strip()).toAddress();
            Integer prefix = address.getNetworkPrefixLength();
            int bits = prefix == null ? address.getBitCount() : prefix;
            return address.withoutPrefixLength().toCanonicalString() + "/" + bits;
        } catch (AddressStringException | RuntimeException e) {
            return cidr;
        }
    }

    public static Set<String> networks(Iterable<String> cidrs) {
        Set<String> result = new LinkedHashSet<>();
        if (cidrs != null) {
            cidrs.forEach(c -> result.add(network(c)));
        }
        return result;
    }
}
