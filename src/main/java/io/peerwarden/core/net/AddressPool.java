package io.peerwarden.core.net;

import inet.ipaddr.IPAddress;
import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One address pool of an instance: the server's own address with its prefix, e.g. 10.24.0.1/24 or
 * fd00:24::1/64. Peers get addresses of the prefix except the reserved ones: the server's address,
 * for IPv4 prefixes shorter than /31 the network and broadcast addresses, for IPv6 prefixes shorter
 * than /127 the subnet-router anycast address (the prefix's all-zero host).
 */
public final class AddressPool {

    private final Cidr server;
    private final Cidr network;
    private final List<IPAddress> reserved;

    private AddressPool(Cidr server) {
        this.server = server;
        this.network = server.network();
        Set<IPAddress> r = new LinkedHashSet<>();
        r.add(server.address());
        int hostBits = server.address().getBitCount() - server.prefixLength();
        if (server.isIPv4() && hostBits >= 2) {
            r.add(network.first());
            r.add(network.last());
        } else if (server.isIPv6() && hostBits >= 2) {
            r.add(network.first());
        }
        this.reserved = r.stream().sorted().toList();
    }

    /**
     * Parses the server address with prefix ("10.24.0.1/24"). Rejects invalid CIDRs and a server
     * address that is itself reserved (the network, broadcast or anycast address of its prefix).
     */
    public static AddressPool of(String serverAddressWithPrefix) {
        Cidr server = Cidr.parse(serverAddressWithPrefix);
        int hostBits = server.address().getBitCount() - server.prefixLength();
        if (hostBits >= 2 && server.address().equals(server.first())) {
            throw new InvalidCidrException(serverAddressWithPrefix, "'" + serverAddressWithPrefix
                    + "' is the network address of its prefix, not a server address: give the server's own address, e.g. "
                    + server.first().increment(1).toCanonicalString() + "/" + server.prefixLength());
        }
        if (server.isIPv4() && hostBits >= 2 && server.address().equals(server.last())) {
            throw new InvalidCidrException(serverAddressWithPrefix, "'" + serverAddressWithPrefix
                    + "' is the broadcast address of its prefix, not a server address: give the server's own address, e.g. "
                    + server.first().increment(1).toCanonicalString() + "/" + server.prefixLength());
        }
        return new AddressPool(server);
    }

    /** The pool's prefix with host bits zeroed (10.24.0.0/24). */
    public Cidr network() {
        return network;
    }

    /** The server's address with the pool's prefix length, as written in the spec (10.24.0.1/24). */
    public Cidr serverCidr() {
        return server;
    }

    /** The server's own address (10.24.0.1). */
    public IPAddress serverAddress() {
        return server.address();
    }

    public boolean isIPv4() {
        return server.isIPv4();
    }

    /** Number of addresses a peer can get. */
    public BigInteger size() {
        int hostBits = server.address().getBitCount() - server.prefixLength();
        return BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.valueOf(reserved.size()));
    }

    /** True when every address of {@code cidr} is inside the pool's prefix. */
    public boolean contains(Cidr cidr) {
        return network.contains(cidr);
    }

    /** True when {@code address} is never given to a peer: the server's, network, broadcast or anycast address. */
    public boolean isReserved(IPAddress address) {
        return reserved.contains(address.withoutPrefixLength());
    }

    /** True when {@code cidr} contains one of the reserved addresses. */
    public boolean containsReserved(Cidr cidr) {
        for (IPAddress r : reserved) {
            if (cidr.contains(Cidr.host(r))) {
                return true;
            }
        }
        return false;
    }

    /** The reserved addresses of this pool, lowest first. */
    public List<IPAddress> reserved() {
        return reserved;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressPool p && server.equals(p.server);
    }

    @Override
    public int hashCode() {
        return Objects.hash(server);
    }

    @Override
    public String toString() {
        return server.toString();
    }
}
