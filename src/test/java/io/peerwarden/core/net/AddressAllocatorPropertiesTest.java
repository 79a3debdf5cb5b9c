package io.peerwarden.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** AddressAllocator against a linear walk over the pool on small pools with random pre-existing claims. */
class AddressAllocatorPropertiesTest {

    /** A pool, the claims present before allocation, and the allocations after which an owner is released (-1: none). */
    record Scenario(AddressPool pool, List<Cidr> preClaims, List<Integer> releaseAfter) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<AddressPool> pools = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 62).map(h -> AddressPool.of("10.0.0." + h + "/26")),
                Arbitraries.integers().between(1, 14).map(h -> AddressPool.of("10.0.0." + (64 + h) + "/28")),
                Arbitraries.integers().between(1, 63).map(h -> AddressPool.of("fd00::" + Integer.toHexString(h) + "/122")));
        // claims around 10.0.0.0/25 and fd00::/121: inside the pools, straddling them, or wider than them
        Arbitrary<Cidr> claims = Arbitraries.oneOf(
                NetArbitraries.ipv4In("10.0.0.0", 7, 23),
                NetArbitraries.ipv6In("fd00::", 7, 119),
                NetArbitraries.ipv4In("10.0.0.0", 7, 29),
                NetArbitraries.ipv6In("fd00::", 7, 125));
        return Combinators.combine(pools, claims.list().ofMaxSize(12),
                Arbitraries.integers().between(-1, 40).list().ofMaxSize(5)).as(Scenario::new);
    }

    @Property(tries = 400)
    void allocatesWhatALinearWalkWouldFind(@ForAll("scenarios") Scenario s) {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        List<Cidr> oracleClaims = new ArrayList<>();
        int n = 0;
        for (Cidr cidr : s.preClaims()) {
            String owner = "pre-" + n++;
            if (index.claim(owner, List.of(cidr)).isEmpty()) {
                oracleClaims.add(cidr);
            }
        }
        AddressAllocator<String> allocator = new AddressAllocator<>(s.pool(), index);
        Set<Cidr> live = new HashSet<>();
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            if (s.releaseAfter().contains(i) && !owners.isEmpty()) {
                String victim = owners.remove(owners.size() / 2);
                List<Cidr> held = index.claimsOf(victim);
                index.release(victim);
                oracleClaims.removeAll(held);
                live.removeAll(held);
            }
            Optional<Cidr> expected = linearWalk(s.pool(), oracleClaims);
            String owner = "dyn-" + i;
            Optional<Cidr> got = allocator.allocate(owner);
            assertThat(got).as("allocation %d in %s", i, s.pool()).isEqualTo(expected);
            if (got.isEmpty()) {
                break;
            }
            Cidr cidr = got.get();
            assertThat(s.pool().contains(cidr)).isTrue();
            assertThat(cidr.isHost()).isTrue();
            assertThat(s.pool().isReserved(cidr.address())).isFalse();
            assertThat(live.add(cidr)).as("distinct").isTrue();
            oracleClaims.add(cidr);
            owners.add(owner);
        }
    }

    private static Optional<Cidr> linearWalk(AddressPool pool, List<Cidr> claims) {
        IPAddress a = pool.network().first();
        IPAddress last = pool.network().last();
        while (true) {
            Cidr host = Cidr.host(a);
            boolean reserved = a.equals(pool.serverAddress())
                    || a.equals(pool.network().first()) && pool.network().prefixLength() < a.getBitCount() - 1
                    || pool.isIPv4() && a.equals(last) && pool.network().prefixLength() < 31;
            if (!reserved && claims.stream().noneMatch(c -> c.overlaps(host))) {
                return Optional.of(host);
            }
            if (a.equals(last)) {
                return Optional.empty();
            }
            a = a.increment(1);
        }
    }
}
