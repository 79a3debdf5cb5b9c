package io.peerwarden.core.net;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import java.util.Comparator;
import java.util.Objects;

/**
 * An IPv4 or IPv6 prefix as a user writes it: an address plus a prefix length. Host bits are kept
 * (10.24.0.1/24 is the server address 10.24.0.1 on the 10.24.0.0/24 network); {@link #network()}
 * zeroes them. A bare address is a host prefix (/32 or /128).
 *
 * <p>Parsing is strict: a full dotted quad for IPv4 (no inet_aton forms such as 10.1 or 0x0a.0.0.1,
 * no leading zeros), the standard textual forms for IPv6 (compressed, mixed with a dotted quad),
 * no zone ids, masks, ranges, wildcards or surrounding whitespace.
 */
public final class Cidr implements Comparable<Cidr> {

    /** Strict parsing options shared by everything in Peerwarden that reads an IP address. */
    public static final IPAddressStringParameters STRICT = strictParameters();

    private static final Comparator<Cidr> ORDER = Comparator
            .comparing((Cidr c) -> c.isIPv4() ? 0 : 1)
            .thenComparing(c -> c.network().address)
            .thenComparingInt(Cidr::prefixLength)
            .thenComparing(c -> c.address);

    private final IPAddress address;
    private final int prefixLength;

    private Cidr(IPAddress address, int prefixLength) {
        this.address = address;
        this.prefixLength = prefixLength;
    }

    /** Parses "10.0.0.1/24", "fd00::/64" or a bare address (a host prefix). */
    public static Cidr parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidCidrException(text, "'" + text + "' is not a valid IPv4 or IPv6 CIDR: it is empty");
        }
        if (!text.strip().equals(text)) {
            throw new InvalidCidrException(text, "'" + text + "' is not a valid IPv4 or IPv6 CIDR: remove the surrounding spaces");
        }
        IPAddress parsed;
        try {
            parsed = new IPAddressString(text, STRICT).toAddress();
        } catch (AddressStringException | RuntimeException e) {
            throw new InvalidCidrException(text, "'" + text + "' is not a valid IPv4 or IPv6 CIDR");
        }
        int bits = parsed.getBitCount();
        Integer prefix = parsed.getNetworkPrefixLength();
        return new Cidr(parsed.getLower().withoutPrefixLength(), prefix == null ? bits : prefix);
    }

    /** The host prefix (/32 or /128) of a single address. */
    public static Cidr host(IPAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isMultiple()) {
            throw new IllegalArgumentException(address + " is not a single address");
        }
        IPAddress bare = address.withoutPrefixLength();
        return new Cidr(bare, bare.getBitCount());
    }

    /** The prefix with host bits zeroed: the block this CIDR denotes, 10.24.0.1/24 → 10.24.0.0/24. */
    public Cidr network() {
        if (prefixLength == address.getBitCount()) {
            return this;
        }
        IPAddress lower = address.toPrefixBlock(prefixLength).getLower().withoutPrefixLength();
        return lower.equals(address) ? this : new Cidr(lower, prefixLength);
    }

    /** The address as written, without prefix length (10.24.0.1 for 10.24.0.1/24). */
    public IPAddress address() {
        return address;
    }

    /** The whole block as an ipaddress prefix block (10.24.0.0/24), the form address tries store. */
    public IPAddress block() {
        return address.toPrefixBlock(prefixLength);
    }

    /** The lowest address of the block. */
    public IPAddress first() {
        return network().address;
    }

    /** The highest address of the block (the IPv4 broadcast address for prefixes shorter than /31). */
    public IPAddress last() {
        return block().getUpper().withoutPrefixLength();
    }

    public int prefixLength() {
        return prefixLength;
    }

    public boolean isIPv4() {
        return address.isIPv4();
    }

    public boolean isIPv6() {
        return address.isIPv6();
    }

    /** True when this is a host prefix (/32 or /128). */
    public boolean isHost() {
        return prefixLength == address.getBitCount();
    }

    /** True when every address of {@code other} is in this block (same family only). */
    public boolean contains(Cidr other) {
        return isIPv4() == other.isIPv4() && prefixLength <= other.prefixLength && block().contains(other.block());
    }

    /** True when the two blocks share at least one address: equal, one contains the other. */
    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    @Override
    public int compareTo(Cidr other) {
        return ORDER.compare(this, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && prefixLength == c.prefixLength && address.equals(c.address);
    }

    @Override
    public int hashCode() {
        return 31 * address.hashCode() + prefixLength;
    }

    /** Canonical text: RFC 5952 for IPv6, always with the prefix length ("10.0.0.1/32", "fd00::1/128"). */
    @Override
    public String toString() {
        return address.toCanonicalString() + "/" + prefixLength;
    }

    private static IPAddressStringParameters strictParameters() {
        IPAddressStringParameters.Builder b = new IPAddressStringParameters.Builder()
                .allowEmpty(false)
                .allowAll(false)
                .allowSingleSegment(false)
                .allowMask(false)
                .allowPrefixOnly(false)
                .allowWildcardedSeparator(false)
                .setRangeOptions(RangeParameters.NO_RANGE)
                .allow_inet_aton(false);
        // "/0" is reported as a leading zero when prefix-length leading zeros are off, so they stay allowed
        b.getIPv4AddressParametersBuilder()
                .allow_inet_aton(false)
                .allowLeadingZeros(false)
                .allowUnlimitedLeadingZeros(false)
                .allowBinary(false)
                .allowPrefixesBeyondAddressSize(false)
                .allowWildcardedSeparator(false)
                .setRangeOptions(RangeParameters.NO_RANGE);
        b.getIPv6AddressParametersBuilder()
                .allowZone(false)
                .allowEmptyZone(false)
                .allowBase85(false)
                .allowBinary(false)
                .allowUnlimitedLeadingZeros(false)
                .allowPrefixesBeyondAddressSize(false)
                .allowWildcardedSeparator(false)
                .allowMixed(true)
                .allow_mixed_inet_aton(false)
                .setRangeOptions(RangeParameters.NO_RANGE);
        b.getIPv6AddressParametersBuilder().getEmbeddedIPv4AddressParametersBuilder()
                .allow_inet_aton(false)
                .allowLeadingZeros(false)
                .allowBinary(false)
                .setRangeOptions(RangeParameters.NO_RANGE);
        return b.toParams();
    }
}
