package io.peerwarden.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.peerwarden.api.v1alpha1.VpnPeer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SeniorityTest {

    /** Metadata that counts how often its creationTimestamp is read (each read is a parse in Seniority). */
    private static final class CountingMeta extends ObjectMeta {
        final AtomicInteger reads;

        CountingMeta(String namespace, String name, String created, AtomicInteger reads) {
            setNamespace(namespace);
            setName(name);
            setCreationTimestamp(created);
            this.reads = reads;
        }

        @Override
        public String getCreationTimestamp() {
            if (reads != null) {
                reads.incrementAndGet();
            }
            return super.getCreationTimestamp();
        }
    }

    private static VpnPeer peer(String namespace, String name, String created, AtomicInteger reads) {
        VpnPeer peer = new VpnPeer();
        peer.setMetadata(new CountingMeta(namespace, name, created, reads));
        return peer;
    }

    @Provide
    Arbitrary<List<VpnPeer>> peers() {
        Arbitrary<String> created = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 30).map(s -> String.format("2024-01-01T00:00:%02dZ", s)),
                Arbitraries.integers().between(0, 9).map(f -> "2024-01-01T00:00:05." + f + "Z"),
                Arbitraries.of("2023-12-31T23:59:59Z", "not a time", "", "2024-13-01T00:00:00Z"),
                Arbitraries.just(null));
        Arbitrary<String> namespaces = Arbitraries.oneOf(Arbitraries.of("a", "b", "", "B"), Arbitraries.just(null));
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("p", "q", "p-1", "P"), Arbitraries.just(null));
        return Combinators.combine(namespaces, names, created).as((ns, n, c) -> peer(ns, n, c, null)).list().ofMaxSize(40);
    }

    @Property(tries = 500)
    void sortedOrdersExactlyAsTheComparatorIncludingTies(@ForAll("peers") List<VpnPeer> peers) {
        List<VpnPeer> expected = peers.stream().sorted(Seniority.ORDER).toList();
        List<VpnPeer> got = Seniority.sorted(peers);
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.size(); i++) {
            // the same objects in the same places: ties keep the collection's order in both
            assertThat(got.get(i)).as("position %d", i).isSameAs(expected.get(i));
        }
        for (VpnPeer a : peers) {
            for (VpnPeer b : peers) {
                assertThat(Integer.signum(Seniority.Key.of(a).compareTo(Seniority.Key.of(b))))
                        .isEqualTo(Integer.signum(Seniority.ORDER.compare(a, b)));
            }
        }
    }

    @Test
    void earliestFirstThenNamespaceAndNameAndUnreadableTimestampsLast() {
        VpnPeer late = peer("a", "late", "2024-01-01T00:00:09Z", null);
        VpnPeer early = peer("z", "early", "2024-01-01T00:00:01Z", null);
        VpnPeer sameTimeA = peer("a", "x", "2024-01-01T00:00:05Z", null);
        VpnPeer sameTimeB = peer("b", "a", "2024-01-01T00:00:05Z", null);
        VpnPeer broken = peer("a", "a", "yesterday", null);
        VpnPeer missing = peer("a", "b", null, null);
        assertThat(Seniority.sorted(List.of(missing, late, broken, sameTimeB, early, sameTimeA)))
                .containsExactly(early, sameTimeA, sameTimeB, late, broken, missing);
    }

    @Test
    void eachTimestampIsReadOnceHoweverManyComparisonsTheSortMakes() {
        AtomicInteger reads = new AtomicInteger();
        List<VpnPeer> peers = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 2_000; i++) {
            peers.add(peer("ns", "peer-" + i, String.format("2024-01-01T%02d:%02d:%02dZ", random.nextInt(24), random.nextInt(60),
                    random.nextInt(60)), reads));
        }
        List<VpnPeer> sorted = Seniority.sorted(peers);
        assertThat(reads.get()).isEqualTo(2_000);
        reads.set(0);
        List<VpnPeer> byComparator = peers.stream().sorted(Seniority.ORDER).toList();
        assertThat(reads.get()).as("the comparator reads both sides on each comparison").isGreaterThan(20_000);
        Map<VpnPeer, Integer> position = new IdentityHashMap<>();
        for (int i = 0; i < byComparator.size(); i++) {
            position.put(byComparator.get(i), i);
        }
        for (int i = 0; i < sorted.size(); i++) {
            assertThat(position.get(sorted.get(i))).isEqualTo(i);
        }
    }
}
