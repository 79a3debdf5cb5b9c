package io.peerwarden.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.core.net.AllowedIpIndex.Claim;
import io.peerwarden.core.net.AllowedIpIndex.Conflict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllowedIpIndexTest {

    private static List<Cidr> cidrs(String... texts) {
        return Stream.of(texts).map(Cidr::parse).toList();
    }

    @ParameterizedTest(name = "{0} held, {1} requested by someone else: overlap {2}")
    @CsvSource({
            "10.0.0.5/32, 10.0.0.5/32, true",
            "10.0.0.5/32, 10.0.0.0/24, true",     // requested contains the claim
            "10.0.0.0/24, 10.0.0.5/32, true",     // claim contains the requested
            "10.0.0.0/25, 10.0.0.128/25, false",
            "10.0.0.5/32, 10.0.0.6/32, false",
            "fd00::5/128, fd00::/64, true",
            "fd00::/64, fd00::5/128, true",
            "fd00::/64, fd00:0:0:1::/64, false",
            "::ffff:10.0.0.5/128, 10.0.0.5/32, false", // families never overlap
            "0.0.0.0/0, fd00::1/128, false",
    })
    void overlapMeansEqualContainingOrContained(String held, String requested, boolean overlap) {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        assertThat(index.claim("holder", cidrs(held))).isEmpty();
        assertThat(index.isClaimed(Cidr.parse(requested))).isEqualTo(overlap);
        List<Conflict<String>> conflicts = index.conflicts("other", cidrs(requested));
        if (overlap) {
            assertThat(conflicts).containsExactly(new Conflict<>(Cidr.parse(requested), new Claim<>("holder", Cidr.parse(held))));
        } else {
            assertThat(conflicts).isEmpty();
        }
    }

    @Test
    void ownOverlappingClaimsAreNotConflicts() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        assertThat(index.claim("site", cidrs("10.0.0.0/24"))).isEmpty();
        assertThat(index.claim("site", cidrs("10.0.0.7/32", "10.0.0.0/24"))).isEmpty();
        assertThat(index.conflicts("site", cidrs("10.0.0.0/16"))).isEmpty();
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void claimIsAtomicWhenAnyPrefixConflicts() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        index.claim("alice", cidrs("10.0.0.2/32"));
        List<Conflict<String>> conflicts = index.claim("bob", cidrs("10.0.0.3/32", "10.0.0.2/32", "fd00::3/128"));
        assertThat(conflicts).containsExactly(new Conflict<>(Cidr.parse("10.0.0.2/32"), new Claim<>("alice", Cidr.parse("10.0.0.2/32"))));
        assertThat(index.isClaimed(Cidr.parse("10.0.0.3/32"))).isFalse();
        assertThat(index.isClaimed(Cidr.parse("fd00::3/128"))).isFalse();
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void firstClaimerKeepsThePrefixAndTheLoserGetsItAfterRelease() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        assertThat(index.claim("older", cidrs("10.0.0.2/32"))).isEmpty();
        assertThat(index.claim("newer", cidrs("10.0.0.0/30"))).hasSize(1);
        index.release("older");
        assertThat(index.claim("newer", cidrs("10.0.0.0/30"))).isEmpty();
        assertThat(index.findOverlap(Cidr.parse("10.0.0.2"))).contains(new Claim<>("newer", Cidr.parse("10.0.0.0/30")));
    }

    @Test
    void releaseRemovesOnlyThatOwnersClaims() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        index.claim("a", cidrs("10.0.0.1/32", "fd00::1/128"));
        index.claim("b", cidrs("10.0.0.2/32"));
        index.release("a");
        index.release("nobody");
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.claims()).containsExactly(new Claim<>("b", Cidr.parse("10.0.0.2/32")));
        assertThat(index.claimsOf("a")).isEmpty();
    }

    @Test
    void findOverlapPrefersTheWidestContainingClaimThenTheLowestContained() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        index.claim("wide", cidrs("10.0.0.0/16", "10.0.0.0/24"));
        assertThat(index.findOverlap(Cidr.parse("10.0.0.9"))).map(Claim::cidr).contains(Cidr.parse("10.0.0.0/16"));
        AllowedIpIndex<String> narrow = new AllowedIpIndex<>();
        narrow.claim("x", cidrs("10.0.0.9/32"));
        narrow.claim("y", cidrs("10.0.0.3/32"));
        assertThat(narrow.findOverlap(Cidr.parse("10.0.0.0/24"))).map(Claim::owner).contains("y");
    }

    @Test
    void conflictsSkipOwnClaimsToFindAnotherOwnersInside() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        index.claim("me", cidrs("10.0.0.1/32", "10.0.0.2/32"));
        index.claim("you", cidrs("10.0.0.3/32"));
        assertThat(index.conflicts("me", cidrs("10.0.0.0/24")))
                .extracting(c -> c.holder().owner()).containsExactly("you");
    }

    @Test
    void claimContainingReturnsTheWidestClaimOrEmpty() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        index.claim("s", cidrs("fd00::/120", "fd00::10/124"));
        assertThat(index.claimContaining(Cidr.parse("fd00::11").address())).map(Claim::cidr).contains(Cidr.parse("fd00::/120"));
        assertThat(index.claimContaining(Cidr.parse("fd00::1:0").address())).isEmpty();
        assertThat(index.claimContaining(Cidr.parse("10.0.0.1").address())).isEmpty();
    }

    @Test
    void emptyIndexHasNoOverlaps() {
        AllowedIpIndex<Integer> index = new AllowedIpIndex<>();
        assertThat(index.findOverlap(Cidr.parse("0.0.0.0/0"))).isEqualTo(Optional.empty());
        assertThat(index.size()).isZero();
        assertThat(new ArrayList<>(index.claims())).isEmpty();
    }

    @Test
    void claimingTheSameBlockAgainKeepsTheFirstClaim() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        index.claim("site", cidrs("fd00::/119", "fd00::1/119"));
        assertThat(index.claims()).containsExactly(new Claim<>("site", Cidr.parse("fd00::/119")));
        assertThat(index.claimsOf("site")).containsExactly(Cidr.parse("fd00::/119"));
    }
}
