package io.peerwarden.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class ClaimedRangesTest {

    private static BigInteger n(long v) {
        return BigInteger.valueOf(v);
    }

    @Test
    void adjacentAndOverlappingBlocksMergeIntoOneRunWhoseNextAddressIsFree() {
        ClaimedRanges ranges = new ClaimedRanges();
        for (long a = 100; a < 10_100; a++) {
            ranges.add(n(a), n(a));
        }
        assertThat(ranges.runs()).isEqualTo(1);
        assertThat(ranges.lowestUnclaimedFrom(n(100))).isEqualTo(n(10_100));
        assertThat(ranges.lowestUnclaimedFrom(n(99))).isEqualTo(n(99));
        ranges.add(n(10_101), n(10_200));
        ranges.add(n(50), n(150));
        assertThat(ranges.runs()).isEqualTo(2);
        assertThat(ranges.lowestUnclaimedFrom(n(60))).isEqualTo(n(10_100));
        ranges.add(n(10_100), n(10_100));
        assertThat(ranges.runs()).isEqualTo(1);
        assertThat(ranges.lowestUnclaimedFrom(n(50))).isEqualTo(n(10_201));
    }

    @Test
    void removingABlockSplitsItsRunAndFreesExactlyItsAddresses() {
        ClaimedRanges ranges = new ClaimedRanges();
        ranges.add(n(0), n(255));
        ranges.remove(n(16), n(31));
        assertThat(ranges.runs()).isEqualTo(2);
        assertThat(ranges.lowestUnclaimedFrom(n(0))).isEqualTo(n(16));
        assertThat(ranges.lowestUnclaimedFrom(n(31))).isEqualTo(n(31));
        assertThat(ranges.lowestUnclaimedFrom(n(32))).isEqualTo(n(256));
        ranges.remove(n(0), n(300));
        assertThat(ranges.runs()).isZero();
        assertThat(ranges.toString()).isEqualTo("ClaimedRanges[0 runs]");
    }

    @Test
    void ipv6SizedNumbersWork() {
        ClaimedRanges ranges = new ClaimedRanges();
        BigInteger top = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
        ranges.add(top.subtract(n(9)), top);
        assertThat(ranges.lowestUnclaimedFrom(top.subtract(n(3)))).isEqualTo(top.add(BigInteger.ONE));
        assertThat(ranges.lowestUnclaimedFrom(top.subtract(n(10)))).isEqualTo(top.subtract(n(10)));
    }
}
