package io.peerwarden.core.node;

import io.peerwarden.core.diff.PeerDiff;
import io.peerwarden.core.wg.WgPeer;
import io.peerwarden.core.wg.WgPeerConfig;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What the agent reports as live after wg accepted a pass, without reading the interface back. */
class AppliedPeersTest {

    private static final String A = "A".repeat(43) + "=";
    private static final String B = "B".repeat(43) + "=";
    private static final String C = "C".repeat(43) + "=";

    private static Map<String, WgPeer> live(WgPeer... peers) {
        Map<String, WgPeer> map = new LinkedHashMap<>();
        for (WgPeer p : peers) {
            map.put(p.publicKey(), p);
        }
        return map;
    }

    @Test
    void aChangedPeerKeepsItsHandshakeCountersAndRoamingEndpointAndAnAddedOneStartsFromZero() {
        Map<String, WgPeer> before = live(new WgPeer(A, null, "192.0.2.7:4000", Set.of("10.0.0.2/32"), 1_700_000_000L, 10, 20, 0),
                new WgPeer(C, null, null, Set.of("10.0.0.9/32"), 0, 0, 0, 0));
        List<WgPeerConfig> desired = List.of(new WgPeerConfig(A, null, null, Set.of("10.0.0.2/32", "10.1.0.0/24"), 25),
                new WgPeerConfig(B, "psk", "198.51.100.1:51820", Set.of("10.0.0.3/32"), 0));

        Map<String, WgPeer> after = AppliedPeers.after(before, PeerDiff.between(desired, before), desired, Set.of());

        assertThat(after).containsOnlyKeys(A, B);
        assertThat(after.get(A)).isEqualTo(new WgPeer(A, null, "192.0.2.7:4000", Set.of("10.0.0.2/32", "10.1.0.0/24"),
                1_700_000_000L, 10, 20, 25));
        assertThat(after.get(B)).isEqualTo(new WgPeer(B, "psk", "198.51.100.1:51820", Set.of("10.0.0.3/32"), 0, 0, 0, 0));
    }

    @Test
    void anAllowedIpSetOnOnePeerIsTakenFromThePeerThatHadItAsWireGuardDoes() {
        // B is live but withheld (the desired state is not complete): it keeps its peer entry, not the address A takes
        Map<String, WgPeer> before = live(new WgPeer(B, null, null, Set.of("10.0.0.2/32", "10.0.0.3/32"), 0, 0, 0, 0));
        List<WgPeerConfig> desired = List.of(new WgPeerConfig(A, null, null, Set.of("10.0.0.2/32"), 0));
        PeerDiff diff = PeerDiff.between(desired, before, false, Set.of(), Map.of());

        Map<String, WgPeer> after = AppliedPeers.after(before, diff, desired, Set.of());

        assertThat(after.get(A).allowedIps()).containsExactly("10.0.0.2/32");
        assertThat(after.get(B).allowedIps()).containsExactly("10.0.0.3/32");
    }

    @Test
    void twoDesiredPeersWithOneAddressEndWithTheLaterOneHoldingIt() {
        List<WgPeerConfig> desired = List.of(new WgPeerConfig(A, null, null, Set.of("10.0.0.2/32"), 0),
                new WgPeerConfig(B, null, null, Set.of("10.0.0.2/32"), 0));
        Map<String, WgPeer> after = AppliedPeers.after(Map.of(), PeerDiff.between(desired, Map.of()), desired, Set.of());

        // so the verdict's read of this view reports A as not shown, as a read-back would
        assertThat(after.get(A).allowedIps()).isEmpty();
        assertThat(after.get(B).allowedIps()).containsExactly("10.0.0.2/32");
    }

    @Test
    void aRemovedPeerIsGoneAndASkippedOneStaysAsItWas() {
        WgPeer b = new WgPeer(B, null, null, Set.of("10.0.0.3/32"), 0, 0, 0, 0);
        Map<String, WgPeer> before = live(new WgPeer(A, null, null, Set.of("10.0.0.2/32"), 0, 0, 0, 0), b);
        List<WgPeerConfig> desired = List.of(new WgPeerConfig(B, null, null, Set.of("10.0.0.4/32"), 0));
        PeerDiff diff = PeerDiff.between(desired, before);

        assertThat(AppliedPeers.after(before, diff, desired, Set.of()).keySet()).containsExactly(B);
        Map<String, WgPeer> failed = AppliedPeers.after(before, diff, desired, Set.of(A, B));
        assertThat(failed).containsOnlyKeys(A, B);
        assertThat(failed.get(B)).isEqualTo(b);
    }
}
