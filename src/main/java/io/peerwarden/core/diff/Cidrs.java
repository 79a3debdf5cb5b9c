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
