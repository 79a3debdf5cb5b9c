package io.peerwarden.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The allocator and the index's merged runs against a naive reference over random interleavings of claims
 * (single and several prefixes, some conflicting), releases and allocations, with one allocator kept alive
 * across the whole sequence (as the incremental planner keeps one index) and fresh ones: every allocation is
 * the lowest address a walk over the pool finds, and every address of the pool is unclaimed for
 * {@link AllowedIpIndex#lowestUnclaimed} exactly when no live claim covers it.
 */
class AddressAllocatorSequencePropertiesTest {

    sealed interface Op permits Claim, Release, Allocate {
    }

    record Claim(int owner, List<Cidr> cidrs) implements Op {
    }

    record Release(int owner) implements Op {
    }

    record Allocate(int owner, boolean freshAllocator) implements Op {
    }

    record Scenario(AddressPool pool, List<Op> ops) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<AddressPool> pools = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 62).map(h -> AddressPool.of("10.0.0." + h + "/26")),
                Arbitraries.integers().between(1, 14).map(h -> AddressPool.of("10.0.0." + (64 + h) + "/28")),
                Arbitraries.of("10.0.0.64/31", "10.0.0.65/31", "10.0.0.70/32").map(AddressPool::of),
                Arbitraries.integers().between(1, 63).map(h -> AddressPool.of("fd00::" + Integer.toHexString(h) + "/122")),
                Arbitraries.of("fd00::40/127", "fd00::41/128").map(AddressPool::of));
        Arbitrary<Cidr> prefixes = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, NetArbitraries.ipv4In("10.0.0.0", 7, 26)),
                net.jqwik.api.Tuple.of(6, NetArbitraries.ipv6In("fd00::", 7, 122)),
                net.jqwik.api.Tuple.of(1, NetArbitraries.ipv4In("10.0.0.0", 7, 23)),
                net.jqwik.api.Tuple.of(1, NetArbitraries.ipv6In("fd00::", 7, 119)));
        Arbitrary<Integer> owners = Arbitraries.integers().between(0, 40);
        Arbitrary<Op> ops = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Combinators.combine(owners, prefixes.list().ofMinSize(1).ofMaxSize(3)).as(Claim::new)),
                net.jqwik.api.Tuple.of(3, owners.map(Release::new)),
                net.jqwik.api.Tuple.of(6, Combinators.combine(owners, Arbitraries.of(true, false)).as(Allocate::new)));
        return Combinators.combine(pools, ops.list().ofMaxSize(120)).as(Scenario::new);
    }

    @Property(tries = 500)
    void allocatesWhatAWalkOverTheLiveClaimsFinds(@ForAll("scenarios") Scenario s) {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        AddressAllocator<String> kept = new AddressAllocator<>(s.pool(), index);
        Map<String, List<Cidr>> live = new LinkedHashMap<>();
        int step = 0;
        for (Op op : s.ops()) {
            step++;
            if (op instanceof Claim c) {
                String owner = "o" + c.owner();
                boolean free = c.cidrs().stream().allMatch(cidr -> live.entrySet().stream()
                        .filter(e -> !e.getKey().equals(owner))
                        .flatMap(e -> e.getValue().stream()).noneMatch(cidr::overlaps));
                assertThat(index.claim(owner, c.cidrs()).isEmpty()).as("step %d: claim %s accepted", step, c).isEqualTo(free);
                if (free) {
                    live.computeIfAbsent(owner, k -> new ArrayList<>()).addAll(c.cidrs());
                }
            } else if (op instanceof Release r) {
                index.release("o" + r.owner());
                live.remove("o" + r.owner());
            } else if (op instanceof Allocate a) {
                String owner = "o" + a.owner();
                Optional<Cidr> expected = reference(s.pool(), live);
                AddressAllocator<String> allocator = a.freshAllocator() ? new AddressAllocator<>(s.pool(), index) : kept;
                assertThat(allocator.peek()).as("step %d: peek in %s", step, s.pool()).isEqualTo(expected);
                assertThat(allocator.allocate(owner)).as("step %d: allocation in %s", step, s.pool()).isEqualTo(expected);
                expected.ifPresent(cidr -> live.computeIfAbsent(owner, k -> new ArrayList<>()).add(cidr));
            }
            assertCoverage(s.pool(), index, live, step);
        }
    }

    /** Every address of the pool: unclaimed for the index exactly when no live claim covers it. */
    private static void assertCoverage(AddressPool pool, AllowedIpIndex<String> index, Map<String, List<Cidr>> live, int step) {
        IPAddress last = pool.network().last();
        IPAddress a = pool.network().first();
        while (true) {
            Cidr host = Cidr.host(a);
            boolean claimed = live.values().stream().flatMap(List::stream).anyMatch(c -> c.overlaps(host));
            assertThat(index.lowestUnclaimed(a, a).isPresent()).as("step %d: %s unclaimed", step, a).isEqualTo(!claimed);
            if (a.equals(last)) {
                return;
            }
            a = a.increment(1);
        }
    }

    /** The lowest address of the pool that is not reserved (by the rules of AddressPool's comment) and in no live claim. */
    private static Optional<Cidr> reference(AddressPool pool, Map<String, List<Cidr>> live) {
        IPAddress first = pool.network().first();
        IPAddress last = pool.network().last();
        int hostBits = first.getBitCount() - pool.network().prefixLength();
        IPAddress a = first;
        while (true) {
            Cidr host = Cidr.host(a);
            boolean reserved = a.equals(pool.serverAddress())
                    || hostBits >= 2 && a.equals(first)
                    || pool.isIPv4() && hostBits >= 2 && a.equals(last);
            if (!reserved && live.values().stream().flatMap(List::stream).noneMatch(c -> c.overlaps(host))) {
                return Optional.of(host);
            }
            if (a.equals(last)) {
                return Optional.empty();
            }
            a = a.increment(1);
        }
    }
}
