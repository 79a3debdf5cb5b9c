package io.peerwarden.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.core.net.PoolOverlaps.Overlap;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PoolOverlapsTest {

    private static List<AddressPool> pools(String... texts) {
        return Stream.of(texts).map(AddressPool::of).toList();
    }

    @Test
    void reportsEachOverlappingPairOnceInNameOrder() {
        Map<String, List<AddressPool>> byInstance = new LinkedHashMap<>();
        byInstance.put("office", pools("10.24.0.1/24", "fd00:24::1/64"));
        byInstance.put("lab", pools("10.24.0.129/25"));
        byInstance.put("home", pools("10.25.0.1/24", "fd00:24:0:0:1::1/80"));
        byInstance.put("guest", pools("10.26.0.1/24"));
        assertThat(PoolOverlaps.find(byInstance)).containsExactly(
                new Overlap<>("home", Cidr.parse("fd00:24::1:0:0:0/80"), "office", Cidr.parse("fd00:24::/64")),
                new Overlap<>("lab", Cidr.parse("10.24.0.128/25"), "office", Cidr.parse("10.24.0.0/24")));
    }

    @Test
    void resultDoesNotDependOnMapOrder() {
        Map<String, List<AddressPool>> a = new LinkedHashMap<>();
        a.put("x", pools("10.0.0.1/16"));
        a.put("y", pools("10.0.5.1/24"));
        a.put("z", pools("10.0.5.9/30"));
        Map<String, List<AddressPool>> b = new LinkedHashMap<>();
        b.put("z", a.get("z"));
        b.put("x", a.get("x"));
        b.put("y", a.get("y"));
        assertThat(PoolOverlaps.find(a)).isEqualTo(PoolOverlaps.find(b)).hasSize(3)
                .extracting(o -> o.first() + "-" + o.second()).containsExactly("x-y", "x-z", "y-z");
    }

    @Test
    void disjointPoolsAndDifferentFamiliesDoNotOverlap() {
        Map<Integer, List<AddressPool>> byInstance = Map.of(
                1, pools("10.0.0.1/24"), 2, pools("10.0.1.1/24"), 3, pools("fd00::1/64"), 4, List.of());
        assertThat(PoolOverlaps.find(byInstance, Comparator.naturalOrder())).isEmpty();
    }
}
