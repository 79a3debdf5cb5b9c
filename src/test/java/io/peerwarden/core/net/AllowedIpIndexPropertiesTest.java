package io.peerwarden.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.core.net.AllowedIpIndex.Claim;
import io.peerwarden.core.net.AllowedIpIndex.Conflict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** AllowedIpIndex against a brute-force oracle: a plain list of claims and pairwise overlap. */
class AllowedIpIndexPropertiesTest {

    /** claim(owner, cidrs) when cidrs is non-empty, release(owner) otherwise. */
    record Op(int owner, List<Cidr> cidrs) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> claim = Combinators.combine(Arbitraries.integers().between(0, 5),
                NetArbitraries.crowdedPrefixes().list().ofMinSize(1).ofMaxSize(3)).as(Op::new);
        Arbitrary<Op> release = Arbitraries.integers().between(0, 5).map(o -> new Op(o, List.of()));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, claim), net.jqwik.api.Tuple.of(1, release))
                .list().ofMaxSize(40);
    }

    @Property(tries = 300)
    void indexAgreesWithPairwiseOracle(@ForAll("operations") List<Op> ops,
                                       @ForAll("probes") List<Cidr> probes) {
        AllowedIpIndex<Integer> index = new AllowedIpIndex<>();
        List<Claim<Integer>> oracle = new ArrayList<>();
        for (Op op : ops) {
            if (op.cidrs().isEmpty()) {
                index.release(op.owner());
                oracle.removeIf(c -> c.owner() == op.owner());
            } else {
                List<Cidr> expectedConflicting = op.cidrs().stream()
                        .filter(r -> oracle.stream().anyMatch(c -> c.owner() != op.owner() && c.cidr().overlaps(r)))
                        .toList();
                List<Conflict<Integer>> conflicts = index.claim(op.owner(), op.cidrs());
                assertThat(conflicts).extracting(Conflict::requested).containsExactlyElementsOf(expectedConflicting);
                for (Conflict<Integer> conflict : conflicts) {
                    assertThat(oracle).contains(conflict.holder());
                    assertThat(conflict.holder().owner()).isNotEqualTo(op.owner());
                    assertThat(conflict.holder().cidr().overlaps(conflict.requested())).isTrue();
                }
                if (expectedConflicting.isEmpty()) {
                    for (Cidr cidr : op.cidrs()) {
                        boolean sameBlockHeld = oracle.stream().anyMatch(c -> c.cidr().network().equals(cidr.network()));
                        if (!sameBlockHeld) {
                            oracle.add(new Claim<>(op.owner(), cidr));
                        }
                    }
                }
            }
            assertThat(index.size()).isEqualTo(oracle.size());
            assertThat(index.claims()).containsExactlyInAnyOrderElementsOf(oracle);
        }
        for (Cidr probe : probes) {
            List<Claim<Integer>> overlapping = oracle.stream().filter(c -> c.cidr().overlaps(probe)).toList();
            Optional<Claim<Integer>> found = index.findOverlap(probe);
            assertThat(found.isPresent()).as("overlap of %s", probe).isEqualTo(!overlapping.isEmpty());
            found.ifPresent(c -> assertThat(overlapping).contains(c));
            assertThat(index.findOverlap(probe)).as("deterministic").isEqualTo(found);
            if (probe.isHost()) {
                Optional<Claim<Integer>> widest = overlapping.stream()
                        .min((a, b) -> Integer.compare(a.cidr().prefixLength(), b.cidr().prefixLength()));
                assertThat(index.claimContaining(probe.address())).isEqualTo(widest);
            }
        }
    }

    @Provide
    Arbitrary<List<Cidr>> probes() {
        return NetArbitraries.crowdedPrefixes().list().ofMinSize(1).ofMaxSize(20);
    }
}
