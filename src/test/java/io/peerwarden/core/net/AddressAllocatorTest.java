package io.peerwarden.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressAllocatorTest {

    private static List<String> allocateAll(String pool, AllowedIpIndex<String> index, int max) {
        AddressAllocator<String> allocator = new AddressAllocator<>(AddressPool.of(pool), index);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            Optional<Cidr> next = allocator.allocate("peer-" + i);
            if (next.isEmpty()) {
                break;
            }
            got.add(next.get().toString());
        }
        return got;
    }

    @ParameterizedTest(name = "{0}: first allocations {1}")
    @CsvSource(delimiter = ';', value = {
            "10.24.0.1/24; 10.24.0.2/32,10.24.0.3/32,10.24.0.4/32",
            "10.24.0.5/24; 10.24.0.1/32,10.24.0.2/32,10.24.0.3/32",
            "fd00:24::1/64; fd00:24::2/128,fd00:24::3/128,fd00:24::4/128",
            "fd00:24::8/64; fd00:24::1/128,fd00:24::2/128,fd00:24::3/128",
    })
    void allocatesLowestHostAddressesSkippingReservedOnes(String pool, String expected) {
        assertThat(allocateAll(pool, new AllowedIpIndex<>(), 3)).containsExactly(expected.split(","));
    }

    @ParameterizedTest(name = "{0} is exhausted after {1} allocations")
    @CsvSource({"10.24.0.1/30, 1", "10.24.0.1/29, 5", "10.24.0.0/31, 1", "10.24.0.1/32, 0", "fd00::1/126, 2", "fd00::1/128, 0"})
    void exhaustedPoolGivesEmpty(String pool, int count) {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        List<String> got = allocateAll(pool, index, 100);
        assertThat(got).hasSize(count);
        assertThat(AddressPool.of(pool).size()).isEqualTo(count);
        assertThat(new AddressAllocator<>(AddressPool.of(pool), index).allocate("late")).isEmpty();
    }

    @Test
    void jumpsOverClaimedBlocksAndClaimsWhatItReturns() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        index.claim("site", List.of(Cidr.parse("10.24.0.0/28")));
        index.claim("static", List.of(Cidr.parse("10.24.0.17/32")));
        AddressAllocator<String> allocator = new AddressAllocator<>(AddressPool.of("10.24.0.1/24"), index);
        assertThat(allocator.allocate("a")).contains(Cidr.parse("10.24.0.16/32"));
        assertThat(allocator.allocate("b")).contains(Cidr.parse("10.24.0.18/32"));
        assertThat(index.claimsOf("b")).containsExactly(Cidr.parse("10.24.0.18/32"));
    }

    @Test
    void claimWiderThanThePoolExhaustsIt() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        index.claim("everything", List.of(Cidr.parse("10.0.0.0/8")));
        assertThat(new AddressAllocator<>(AddressPool.of("10.24.0.1/24"), index).allocate("a")).isEmpty();
    }

    @Test
    void releasedAddressBehindTheCursorIsHandedOutAgain() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        AddressAllocator<String> allocator = new AddressAllocator<>(AddressPool.of("10.24.0.1/24"), index);
        allocator.allocate("a");
        allocator.allocate("b");
        allocator.allocate("c");
        index.release("a");
        assertThat(allocator.allocate("d")).contains(Cidr.parse("10.24.0.2/32"));
        assertThat(allocator.allocate("e")).contains(Cidr.parse("10.24.0.5/32"));
    }

    @Test
    void claimsAddedByOthersAheadOfTheCursorAreSkipped() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        AddressAllocator<String> allocator = new AddressAllocator<>(AddressPool.of("fd00::1/120"), index);
        assertThat(allocator.allocate("a")).contains(Cidr.parse("fd00::2/128"));
        index.claim("static", List.of(Cidr.parse("fd00::3/128")));
        assertThat(allocator.allocate("b")).contains(Cidr.parse("fd00::4/128"));
    }

    @Test
    void tenThousandAllocationsInASlash16WithTenThousandScatteredClaims() {
        AddressPool pool = AddressPool.of("10.50.0.1/16");
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        Random random = new Random(16);
        Set<IPAddress> preClaimed = new HashSet<>();
        IPAddress first = pool.network().first();
        while (preClaimed.size() < 10_000) {
            IPAddress candidate = first.increment(1 + random.nextInt(65_534));
            if (!pool.isReserved(candidate) && preClaimed.add(candidate)) {
                assertThat(index.claim("static-" + preClaimed.size(), List.of(Cidr.host(candidate)))).isEmpty();
            }
        }
        AddressAllocator<String> allocator = new AddressAllocator<>(pool, index);
        Set<Cidr> allocated = new HashSet<>();
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            Optional<Cidr> next = allocator.allocate("dynamic-" + i);
            assertThat(next).isPresent();
            allocated.add(next.get());
        }
        long elapsed = System.nanoTime() - start;
        System.out.printf("AddressAllocator: 10000 allocations in a /16 with 10000 claims took %.1f ms%n", elapsed / 1e6);
        assertThat(allocated).hasSize(10_000);
        assertThat(allocated).allSatisfy(cidr -> {
            assertThat(pool.contains(cidr)).isTrue();
            assertThat(cidr.isHost()).isTrue();
            assertThat(pool.isReserved(cidr.address())).isFalse();
            assertThat(preClaimed).doesNotContain(cidr.address());
        });
        assertThat(index.size()).isEqualTo(20_000);
    }

    @Test
    void slash31HandsOutTheAddressBesideTheServerAndSlash32Nothing() {
        assertThat(allocateAll("10.24.0.0/31", new AllowedIpIndex<>(), 5)).containsExactly("10.24.0.1/32");
        assertThat(allocateAll("10.24.0.1/31", new AllowedIpIndex<>(), 5)).containsExactly("10.24.0.0/32");
        assertThat(allocateAll("10.24.0.7/32", new AllowedIpIndex<>(), 5)).isEmpty();
        assertThat(allocateAll("fd00::1/127", new AllowedIpIndex<>(), 5)).containsExactly("fd00::/128");
    }

    @Test
    void ipv6Slash120IsFilledToItsLastAddressWhichIsNoBroadcast() {
        List<String> got = allocateAll("fd00::1/120", new AllowedIpIndex<>(), 1_000);
        // 256 addresses less the subnet-router anycast fd00:: and the server's fd00::1
        assertThat(got).hasSize(254).doesNotHaveDuplicates();
        assertThat(got.get(0)).isEqualTo("fd00::2/128");
        assertThat(got.get(253)).isEqualTo("fd00::ff/128");
    }

    @Test
    void fullPoolGivesEmptyUntilAnAddressIsReleasedThenExactlyThatOne() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        List<String> got = allocateAll("10.24.0.1/28", index, 100);
        assertThat(got).hasSize(13).endsWith("10.24.0.14/32");
        AddressAllocator<String> allocator = new AddressAllocator<>(AddressPool.of("10.24.0.1/28"), index);
        assertThat(allocator.allocate("late")).isEmpty();
        assertThat(allocator.peek()).isEmpty();
        index.release("peer-6");
        assertThat(allocator.peek()).contains(Cidr.parse("10.24.0.8/32"));
        assertThat(allocator.allocate("late")).contains(Cidr.parse("10.24.0.8/32"));
        assertThat(allocator.allocate("later")).isEmpty();
    }

    @Test
    void theBroadcastAddressIsNeverHandedOutEvenRightAfterTheClaims() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        index.claim("site", List.of(Cidr.parse("10.24.0.0/30"), Cidr.parse("10.24.0.4/31"), Cidr.parse("10.24.0.6/32")));
        // .0-.6 claimed, .7 is the broadcast address of 10.24.0.0/29
        assertThat(new AddressAllocator<>(AddressPool.of("10.24.0.1/29"), index).allocate("a")).isEmpty();
    }

    @Test
    void theServerAddressInTheMiddleIsSkippedRightAfterTheClaimsBelowIt() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        for (int i = 1; i <= 4; i++) {
            index.claim("static-" + i, List.of(Cidr.parse("10.24.0." + i + "/32")));
        }
        index.claim("static-6", List.of(Cidr.parse("10.24.0.6/32")));
        AddressAllocator<String> allocator = new AddressAllocator<>(AddressPool.of("10.24.0.5/24"), index);
        assertThat(allocator.allocate("a")).contains(Cidr.parse("10.24.0.7/32"));
    }

    @Test
    void aReleasedSlash28InsideThePoolIsHandedOutAgainFromItsLowestAddress() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        AddressAllocator<String> allocator = new AddressAllocator<>(AddressPool.of("10.24.0.1/24"), index);
        for (int i = 0; i < 14; i++) {
            allocator.allocate("low-" + i); // .2 - .15
        }
        index.claim("site", List.of(Cidr.parse("10.24.0.16/28")));
        assertThat(allocator.allocate("a")).contains(Cidr.parse("10.24.0.32/32"));
        index.release("site");
        assertThat(allocator.allocate("b")).contains(Cidr.parse("10.24.0.16/32"));
        assertThat(allocator.allocate("c")).contains(Cidr.parse("10.24.0.17/32"));
        index.release("low-3"); // .5
        assertThat(allocator.allocate("d")).contains(Cidr.parse("10.24.0.5/32"));
        assertThat(allocator.allocate("e")).contains(Cidr.parse("10.24.0.18/32"));
    }

    @Test
    void anOwnersOverlappingClaimsAreAllFreedByItsRelease() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        index.claim("site", List.of(Cidr.parse("10.24.0.0/26"), Cidr.parse("10.24.0.9/32"), Cidr.parse("10.24.0.32/27")));
        AddressAllocator<String> allocator = new AddressAllocator<>(AddressPool.of("10.24.0.1/24"), index);
        assertThat(allocator.allocate("a")).contains(Cidr.parse("10.24.0.64/32"));
        index.release("site");
        assertThat(allocator.allocate("b")).contains(Cidr.parse("10.24.0.2/32"));
        assertThat(index.lowestUnclaimed(Cidr.parse("10.24.0.3").address(), Cidr.parse("10.24.0.255").address()))
                .contains(Cidr.parse("10.24.0.3").address());
    }

    @Test
    void aClaimOfTheOtherFamilyOrOutsideThePoolChangesNothing() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        index.claim("v6", List.of(Cidr.parse("::/0")));
        index.claim("below", List.of(Cidr.parse("10.23.255.0/24")));
        assertThat(new AddressAllocator<>(AddressPool.of("10.24.0.1/24"), index).allocate("a")).contains(Cidr.parse("10.24.0.2/32"));
        index.claim("v4", List.of(Cidr.parse("128.0.0.0/2")));
        assertThat(new AddressAllocator<>(AddressPool.of("fd00::1/64"), index).allocate("b")).isEmpty();
        assertThat(new AddressAllocator<>(AddressPool.of("200.0.0.1/24"), index).allocate("c")).contains(Cidr.parse("200.0.0.2/32"));
    }

    @Test
    void theHighestAddressesOfTheFamilyCanBeHandedOut() {
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        assertThat(allocateAll("255.255.255.254/31", index, 5)).containsExactly("255.255.255.255/32");
        List<String> v6 = allocateAll("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff1/124", index, 100);
        assertThat(v6).hasSize(14).endsWith("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
    }
}
