package io.peerwarden.core.diff;

import io.peerwarden.core.wg.WgPeer;
import io.peerwarden.core.wg.WgPeerConfig;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PeerDiffTest {

    private static WgPeer live(String key, String psk, String endpoint, Set<String> ips, int keepalive) {
        return new WgPeer(key, psk, endpoint, ips, 0, 0, 0, keepalive);
    }

    @Test
    void identicalStateGivesAnEmptyDiffWhateverTheOrderAndSpellingOfAllowedIps() {
        WgPeerConfig want = new WgPeerConfig("A", null, null, Set.of("FD00:0::2", "10.0.0.2", "10.0.1.7/24"), 0);
        Map<String, WgPeer> have = Map.of("A", live("A", null, "198.51.100.7:4000", Set.of("10.0.1.0/24", "fd00::2/128", "10.0.0.2/32"), 0));

        assertThat(PeerDiff.between(List.of(want), have).isEmpty()).isTrue();
    }

    @Test
    void updateCarriesOnlyTheFieldsThatDiffer() {
        WgPeerConfig want = new WgPeerConfig("A", "psk", "192.0.2.1:51820", Set.of("10.0.0.3/32"), 25);
        Map<String, WgPeer> have = Map.of("A", live("A", "psk", "192.0.2.1:51820", Set.of("10.0.0.2/32"), 25));

        PeerDiff diff = PeerDiff.between(List.of(want), have);

        assertThat(diff.adds()).isEmpty();
        assertThat(diff.removes()).isEmpty();
        assertThat(diff.updates()).containsExactly(new PeerUpdate("A", Set.of("10.0.0.3/32"), null, null, false, null));
    }

    @Test
    void roamingEndpointIsNotOverwrittenButAConfiguredOneIs() {
        Map<String, WgPeer> have = Map.of("A", live("A", null, "198.51.100.7:4000", Set.of("10.0.0.2/32"), 0));

        assertThat(PeerDiff.between(List.of(new WgPeerConfig("A", null, null, Set.of("10.0.0.2/32"), 0)), have).isEmpty()).isTrue();
        assertThat(PeerDiff.between(List.of(new WgPeerConfig("A", null, "192.0.2.9:51820", Set.of("10.0.0.2/32"), 0)), have).updates())
                .containsExactly(new PeerUpdate("A", null, null, "192.0.2.9:51820", false, null));
    }

    @Test
    void ipv6EndpointsCompareCanonically() {
        Map<String, WgPeer> have = Map.of("A", live("A", null, "[fd00::9]:51820", Set.of(), 0));

        assertThat(PeerDiff.between(List.of(new WgPeerConfig("A", null, "[FD00:0::9]:51820", Set.of(), 0)), have).isEmpty()).isTrue();
    }

    @Test
    void dnsNameEndpointIsSetOnceThenRemembered() {
        Map<String, WgPeer> have = Map.of("A", live("A", null, "192.0.2.1:51820", Set.of(), 0));
        List<WgPeerConfig> want = List.of(new WgPeerConfig("A", null, "site.example:51820", Set.of(), 0));

        assertThat(PeerDiff.between(want, have, true, Set.of(), Map.of()).updates()).hasSize(1);
        assertThat(PeerDiff.between(want, have, true, Set.of(), Map.of("A", "site.example:51820")).isEmpty()).isTrue();
    }

    @Test
    void presharedKeyRemovalIsAnUpdate() {
        Map<String, WgPeer> have = Map.of("A", live("A", "old", null, Set.of(), 0));

        assertThat(PeerDiff.between(List.of(new WgPeerConfig("A", null, null, Set.of(), 0)), have).updates())
                .containsExactly(new PeerUpdate("A", null, null, null, true, null));
    }

    @Test
    void incompleteDesiredStateWithholdsRemovals() {
        Map<String, WgPeer> have = Map.of("A", live("A", null, null, Set.of(), 0), "B", live("B", null, null, Set.of(), 0));

        PeerDiff diff = PeerDiff.between(List.of(new WgPeerConfig("A", null, null, Set.of(), 0)), have, false, Set.of(), Map.of());

        assertThat(diff.removes()).isEmpty();
        assertThat(diff.withheldRemoves()).containsExactly("B");
        assertThat(diff.isEmpty()).isTrue();
    }

    @Test
    void retainedPeersAreNeitherChangedNorRemoved() {
        Map<String, WgPeer> have = Map.of("A", live("A", null, null, Set.of("10.0.0.2/32"), 0), "B", live("B", null, null, Set.of(), 0));

        PeerDiff diff = PeerDiff.between(List.of(new WgPeerConfig("A", null, null, Set.of("10.0.0.9/32"), 0)), have, true, Set.of("A", "B"), Map.of());

        assertThat(diff.isEmpty()).isTrue();
    }

    // --- property: applying the diff to the live state yields the desired state ---

    @Property(tries = 300)
    void applyingTheDiffYieldsTheDesiredState(@ForAll("desired") List<WgPeerConfig> desired, @ForAll("live") List<WgPeer> actualList) {
        Map<String, WgPeer> actual = new LinkedHashMap<>();
        actualList.forEach(p -> actual.put(p.publicKey(), p));

        PeerDiff diff = PeerDiff.between(desired, actual);
        Map<String, WgPeer> after = apply(diff, actual);

        Map<String, WgPeerConfig> want = new HashMap<>();
        desired.forEach(p -> want.put(p.publicKey(), p));
        assertThat(after.keySet()).isEqualTo(want.keySet());
        for (WgPeerConfig w : want.values()) {
            WgPeer h = after.get(w.publicKey());
            assertThat(Cidrs.networks(h.allowedIps())).isEqualTo(Cidrs.networks(w.allowedIps()));
            assertThat(h.persistentKeepalive()).isEqualTo(w.persistentKeepalive());
            assertThat(h.presharedKey()).isEqualTo(w.presharedKey());
            if (w.endpoint() != null) {
                assertThat(h.endpoint()).isEqualTo(w.endpoint());
            } else if (actual.containsKey(w.publicKey())) {
                assertThat(h.endpoint()).isEqualTo(actual.get(w.publicKey()).endpoint());
            }
        }
        // and the diff of the result is empty: nothing is applied twice
        assertThat(PeerDiff.between(desired, after).isEmpty()).isTrue();
    }

    private static Map<String, WgPeer> apply(PeerDiff diff, Map<String, WgPeer> actual) {
        Map<String, WgPeer> result = new LinkedHashMap<>(actual);
        diff.removes().forEach(result::remove);
        for (PeerUpdate u : diff.updates()) {
            WgPeer p = result.get(u.publicKey());
            result.put(u.publicKey(), new WgPeer(p.publicKey(), u.presharedKeyChanged() ? u.presharedKey() : p.presharedKey(),
                    u.endpoint() != null ? u.endpoint() : p.endpoint(), u.allowedIps() != null ? u.allowedIps() : p.allowedIps(),
                    0, 0, 0, u.persistentKeepalive() != null ? u.persistentKeepalive() : p.persistentKeepalive()));
        }
        for (WgPeerConfig a : diff.adds()) {
            result.put(a.publicKey(), new WgPeer(a.publicKey(), a.presharedKey(), a.endpoint(), a.allowedIps(), 0, 0, 0, a.persistentKeepalive()));
        }
        return result;
    }

    private static Arbitrary<String> keys() {
        return Arbitraries.of("K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8");
    }

    private static Arbitrary<Set<String>> ips() {
        return Arbitraries.integers().between(1, 20).map(i -> "10.0.0." + i + "/32").set().ofMaxSize(3);
    }

    private static Arbitrary<String> endpoints() {
        return Arbitraries.of("192.0.2.1:51820", "192.0.2.2:51820", "[fd00::1]:51820").injectNull(0.4);
    }

    @Provide
    Arbitrary<List<WgPeerConfig>> desired() {
        Arbitrary<WgPeerConfig> peer = Combinators.combine(keys(), Arbitraries.of("p1", "p2").injectNull(0.4), endpoints(), ips(),
                Arbitraries.of(0, 25)).as(WgPeerConfig::new);
        return peer.list().ofMaxSize(8).map(PeerDiffTest::uniqueDesired);
    }

    @Provide
    Arbitrary<List<WgPeer>> live() {
        Arbitrary<WgPeer> peer = Combinators.combine(keys(), Arbitraries.of("p1", "p2").injectNull(0.4), endpoints(), ips(),
                Arbitraries.of(0, 25)).as((k, psk, e, ip, ka) -> new WgPeer(k, psk, e, ip, 0, 0, 0, ka));
        return peer.list().ofMaxSize(8);
    }

    private static List<WgPeerConfig> uniqueDesired(Collection<WgPeerConfig> peers) {
        Set<String> seen = new HashSet<>();
        return peers.stream().filter(p -> seen.add(p.publicKey())).toList();
    }
}
