package io.peerwarden.bench;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import io.peerwarden.core.keys.PublicKeyMemo;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.net.AddressAllocator;
import io.peerwarden.core.net.AddressPool;
import io.peerwarden.core.net.AllowedIpIndex;
import io.peerwarden.core.net.Cidr;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.plan.Seniority;
import io.peerwarden.core.status.Conditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The cost of the first address allocation of a plan (a fresh {@link AddressAllocator} over an index that
 * already holds n claims) at n = 1k, 10k and 100k: the target is 100k within 2× of 1k. Shapes:
 * the steady state (n peers hold the n lowest addresses of the pool, IPv4 /8 and IPv6 /64), and a fragmented
 * one (n/2 lowest addresses held, then n/2 isolated claims above them, so the index holds n/2 separate runs).
 * The old allocator's walk from the pool start (kept here as {@link #legacyFirstFree}) is measured in the same
 * run for before/after. Median of many single allocations after a warm-up; each probe is released again, so
 * every measured allocation sees the same index.
 */
@Tag("benchmark")
class AllocationBenchmarkTest {

    private static final int[] SIZES = {1_000, 10_000, 100_000};

    @Test
    void firstAllocationCostIsFlatInTheNumberOfClaims() {
        List<Shape> shapes = new ArrayList<>();
        for (int n : SIZES) {
            Setup v4 = setup(AddressPool.of("10.0.0.1/8"), n, false);
            shapes.add(new Shape("v4", n, v4, this::allocateFresh));
            shapes.add(new Shape("v6", n, setup(AddressPool.of("fd00:24::1/64"), n, false), this::allocateFresh));
            shapes.add(new Shape("fragmented", n, setup(AddressPool.of("10.0.0.1/8"), n, true), this::allocateFresh));
            shapes.add(new Shape("old", n, v4, AllocationBenchmarkTest::legacyFirstFree));
        }
        // rounds over every shape, so JIT warm-up and machine load fall on all sizes alike; the first is not recorded
        for (int round = 0; round < 6; round++) {
            for (Shape shape : shapes) {
                shape.sample(round > 0);
            }
        }
        for (int n : SIZES) {
            System.out.printf(Locale.ROOT, "AllocationBenchmark %,d claims: IPv4 /8 %.0f ns, IPv6 /64 %.0f ns, fragmented %.0f ns,"
                    + " old walk %.0f ns%n", n, median(shapes, "v4", n), median(shapes, "v6", n), median(shapes, "fragmented", n),
                    median(shapes, "old", n));
        }
        BenchResults.record("alloc.first.10k", "first allocation of a plan, 10,000 claims (IPv4 /8)", median(shapes, "v4", 10_000), "ns",
                median(shapes, "v4", 1_000), "the same at 1,000 claims", null);
        BenchResults.record("alloc.first.100k", "first allocation of a plan, 100,000 claims (IPv4 /8)", median(shapes, "v4", 100_000), "ns",
                median(shapes, "v4", 1_000), "the same at 1,000 claims", "≤ 2×");
        BenchResults.record("alloc.first.v6.100k", "first allocation of a plan, 100,000 claims (IPv6 /64)", median(shapes, "v6", 100_000),
                "ns", median(shapes, "v6", 1_000), "the same at 1,000 claims", "≤ 2×");
        BenchResults.record("alloc.first.fragmented.100k", "first allocation of a plan, 100,000 claims in 50,001 runs (IPv4 /8)",
                median(shapes, "fragmented", 100_000), "ns", median(shapes, "fragmented", 1_000), "the same at 1,000 claims", "≤ 2×");
        BenchResults.record("alloc.first.old.100k", "first allocation, the old walk from the pool start, 100,000 claims (IPv4 /8)",
                median(shapes, "old", 100_000), "ns", median(shapes, "old", 1_000), "the same at 1,000 claims", null);
        BenchResults.record("alloc.first.100k.vs.old", "first allocation at 100,000 claims (IPv4 /8), this allocator",
                median(shapes, "v4", 100_000), "ns", median(shapes, "old", 100_000), "the old walk, same index, same run", null);
    }

    private static double median(List<Shape> shapes, String name, int n) {
        return shapes.stream().filter(s -> s.name.equals(name) && s.n == n).findFirst().orElseThrow().median();
    }

    /** One allocator over one index, sampled in rounds. */
    private static final class Shape {
        final String name;
        final int n;
        final Setup setup;
        final Function<Setup, Optional<Cidr>> allocate;
        final List<Long> samples = new ArrayList<>();

        Shape(String name, int n, Setup setup, Function<Setup, Optional<Cidr>> allocate) {
            this.name = name;
            this.n = n;
            this.setup = setup;
            this.allocate = allocate;
        }

        void sample(boolean record) {
            long spent = 0;
            for (int i = 0; i < 3_000 && (spent < 50_000_000L || i < 3); i++) {
                long t0 = System.nanoTime();
                Optional<Cidr> got = allocate.apply(setup);
                long t = System.nanoTime() - t0;
                setup.index.release("probe");
                assertThat(got).contains(setup.expected);
                spent += t;
                if (record) {
                    samples.add(t);
                }
            }
        }

        double median() {
            List<Long> sorted = samples.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }
    }

    /** Sorting 10,000 peers by seniority, as every plan does: the comparator that parses timestamps, and the sort that parses each once. */
    @Test
    void senioritySortOfTenThousandPeers() {
        List<VpnPeer> peers = new ArrayList<>();
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 10_000; i++) {
            VpnPeer peer = new VpnPeer();
            peer.setMetadata(new ObjectMetaBuilder().withNamespace("ns-" + random.nextInt(20)).withName("peer-" + i)
                    .withCreationTimestamp(Conditions.timestamp(t0.plusSeconds(random.nextInt(5_000)))).build());
            peers.add(peer);
        }
        Collections.shuffle(peers, random);
        assertThat(Seniority.sorted(peers)).isEqualTo(peers.stream().sorted(Seniority.ORDER).toList());
        double comparator = 0;
        double decorated = 0;
        for (int round = 0; round < 2; round++) {
            comparator = medianMs(() -> peers.stream().sorted(Seniority.ORDER).toList(), 3, 7);
            decorated = medianMs(() -> Seniority.sorted(peers), 3, 7);
        }
        System.out.printf(Locale.ROOT, "AllocationBenchmark seniority sort of 10,000 peers: comparator %.2f ms, Seniority.sorted %.2f ms%n",
                comparator, decorated);
        BenchResults.record("seniority.sort.10k", "sort 10,000 peers by seniority (Seniority.sorted, one parse per peer)",
                decorated, "ms", comparator, "the same sort by Seniority.ORDER (parses in the comparator), same run", null);
    }

    /** The public keys of 10,000 stored private keys as a steady-state plan needs them: X25519 each time, or the planner's memo. */
    @Test
    void publicKeysOfTenThousandStoredKeys() {
        List<String> privateKeys = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            privateKeys.add(WireGuardKeys.generatePrivateKey());
        }
        PublicKeyMemo memo = new PublicKeyMemo(200_000, WireGuardKeys::publicKeyOf);
        privateKeys.forEach(memo::publicKeyOf);
        double derive = 0;
        double remembered = 0;
        for (int round = 0; round < 2; round++) {
            derive = medianMs(() -> privateKeys.stream().map(WireGuardKeys::publicKeyOf).toList(), 3, 5);
            remembered = medianMs(() -> privateKeys.stream().map(memo::publicKeyOf).toList(), 3, 5);
        }
        assertThat(memo.derivations()).isEqualTo(10_000);
        System.out.printf(Locale.ROOT, "AllocationBenchmark public keys of 10,000 stored keys: X25519 %.1f ms, memo %.1f ms%n",
                derive, remembered);
        BenchResults.record("keys.public.10k", "public keys of 10,000 unchanged stored private keys (planner's memo)", remembered, "ms",
                derive, "deriving each with X25519, same run", null);
    }

    private static double medianMs(java.util.function.Supplier<?> work, int warmUp, int runs) {
        for (int i = 0; i < warmUp; i++) {
            work.get();
        }
        long[] samples = new long[runs];
        for (int i = 0; i < samples.length; i++) {
            long t = System.nanoTime();
            work.get();
            samples[i] = System.nanoTime() - t;
        }
        Arrays.sort(samples);
        return samples[samples.length / 2] / 1e6;
    }

    private Optional<Cidr> allocateFresh(Setup s) {
        return new AddressAllocator<>(s.pool, s.index).allocate("probe");
    }

    private record Setup(AddressPool pool, AllowedIpIndex<String> index, Cidr expected) {
    }

    /** An index of {@code n} claims over {@code pool}: the lowest n addresses, or (fragmented) n/2 of them and n/2 isolated above. */
    private static Setup setup(AddressPool pool, int n, boolean fragmented) {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        IPAddress first = pool.network().first();
        int contiguous = fragmented ? n / 2 : n;
        // offsets 0 (network) and 1 (server) are reserved: claims start at offset 2
        for (int i = 0; i < contiguous; i++) {
            assertThat(index.claim("peer-" + i, List.of(Cidr.host(first.increment(2 + i))))).isEmpty();
        }
        for (int i = contiguous; i < n; i++) {
            // one free address between isolated claims: the lowest free address is still right after the run
            assertThat(index.claim("peer-" + i, List.of(Cidr.host(first.increment(2 + contiguous + 1 + 2L * (i - contiguous)))))).isEmpty();
        }
        return new Setup(pool, index, Cidr.host(first.increment(2 + contiguous)));
    }

    /**
     * The allocator before issue 11: from the pool start, jump over the widest claim containing the candidate,
     * one claim at a time (O(claims stepped over) per allocation). Claims what it finds, as the allocator does.
     */
    private static Optional<Cidr> legacyFirstFree(Setup s) {
        IPAddress last = s.pool.network().last();
        IPAddress candidate = s.pool.network().first();
        while (candidate != null) {
            IPAddress next;
            if (s.pool.isReserved(candidate)) {
                next = candidate;
            } else {
                Optional<AllowedIpIndex.Claim<String>> holder = s.index.claimContaining(candidate);
                if (holder.isEmpty()) {
                    Cidr found = Cidr.host(candidate);
                    s.index.claim("probe", List.of(found));
                    return Optional.of(found);
                }
                next = holder.get().cidr().last();
            }
            candidate = next.compareTo(last) >= 0 ? null : next.increment(1);
        }
        return Optional.empty();
    }
}
