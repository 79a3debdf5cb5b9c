package io.peerwarden.core.net;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random prefixes packed into small address ranges of both families, so that overlaps actually happen. */
final class NetArbitraries {

    private NetArbitraries() {
    }

    /** Mostly prefixes inside 10.0.0.0/24 and fd00::/120 (lengths 22..32 / 118..128), rarely very wide ones. */
    static Arbitrary<Cidr> crowdedPrefixes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, ipv4In("10.0.0.0", 8, 22)),
                net.jqwik.api.Tuple.of(10, ipv6In("fd00::", 8, 118)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("10.0.0.0/8", "0.0.0.0/0", "fd00::/16", "::/0", "11.0.0.0/24", "fd01::/120")
                        .map(Cidr::parse)));
    }

    /** Prefixes with a random last-byte address below base+2^hostBits and prefix length in [minPrefix, full]. */
    static Arbitrary<Cidr> ipv4In(String base, int hostBits, int minPrefix) {
        return Combinators.combine(Arbitraries.integers().between(0, (1 << hostBits) - 1), Arbitraries.integers().between(minPrefix, 32))
                .as((offset, prefix) -> Cidr.parse(Cidr.parse(base).address().increment(offset).toCanonicalString() + "/" + prefix));
    }

    static Arbitrary<Cidr> ipv6In(String base, int hostBits, int minPrefix) {
        return Combinators.combine(Arbitraries.integers().between(0, (1 << hostBits) - 1), Arbitraries.integers().between(minPrefix, 128))
                .as((offset, prefix) -> Cidr.parse(Cidr.parse(base).address().increment(offset).toCanonicalString() + "/" + prefix));
    }
}
