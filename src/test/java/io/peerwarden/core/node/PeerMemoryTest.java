package io.peerwarden.core.node;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnInstanceStatus;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.WgPeerConfig;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** One peer's event becomes exactly its change on the interface, with the rule the full plan applies. */
class PeerMemoryTest {

    private static final String ALICE = "wCfzpkKmxmQSlf9AAz7ASQQprWy94T1uNnhlgG15G1s=";
    private static final String BOB = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final String ROTATED = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";
    private static final String PSK = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";
    private final Map<String, String> published = new HashMap<>();

    private Optional<String> lookup(String entry) {
        return Optional.ofNullable(published.get(entry));
    }

    private static VpnInstance instance() {
        VpnInstance instance = new VpnInstance();
        instance.setMetadata(new ObjectMetaBuilder().withName("vpn").withNamespace("ns").withUid("uid-vpn").withGeneration(1L).build());
        VpnInstanceSpec spec = new VpnInstanceSpec();
        spec.setAddress(List.of("10.24.0.1/24"));
        instance.setSpec(spec);
        VpnInstanceStatus status = new VpnInstanceStatus();
        status.setNodeName("n1");
        status.setInterfaceName("pw-vpn-1a2b3");
        status.setListenPort(51833);
        status.setObservedGeneration(1L);
        status.setConditions(Conditions.with(null, ConditionTypes.ACCEPTED, Conditions.TRUE, Reasons.ACCEPTED, "ok", 1L, Clock.systemUTC()));
        instance.setStatus(status);
        return instance;
    }

    private VpnPeer peer(String name, String key, String address, List<String> subnets, long generation, long observed) {
        VpnPeer peer = new VpnPeer();
        peer.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid("uid-" + name).withGeneration(generation).build());
        VpnPeerSpec spec = new VpnPeerSpec();
        spec.setInstanceRef(new InstanceRef("vpn"));
        spec.setType(subnets.isEmpty() ? "client" : "site");
        spec.setSubnets(subnets.isEmpty() ? null : subnets);
        peer.setSpec(spec);
        VpnPeerStatus status = new VpnPeerStatus();
        status.setPublicKey(key);
        status.setAllowedIPs(List.of(address));
        status.setObservedGeneration(observed);
        Clock clock = Clock.systemUTC();
        var c = Conditions.with(null, ConditionTypes.VALID, Conditions.TRUE, Reasons.VALID, "ok", observed, clock);
        c = Conditions.with(c, ConditionTypes.ADDRESS_ASSIGNED, Conditions.TRUE, Reasons.ALLOCATED, "ok", observed, clock);
        c = Conditions.with(c, ConditionTypes.CONFIG_RENDERED, Conditions.TRUE, Reasons.RENDERED, "ok", observed, clock);
        status.setConditions(c);
        peer.setStatus(status);
        published.put(NodeKeys.peerEntry("uid-" + name), PSK);
        return peer;
    }

    private PeerMemory memoryOf(VpnPeer... peers) {
        List<VpnPeer> all = List.of(peers);
        return PeerMemory.of(DesiredState.plan(instance(), all, this::lookup, true), all);
    }

    private static Map<String, VpnPeer> changed(String key, VpnPeer peer) {
        Map<String, VpnPeer> map = new LinkedHashMap<>();
        map.put(key, peer);
        return map;
    }

    @Test
    void aNewAddressIsAnUpsertOfThatPeerOnlyWithNoRouteChange() {
        PeerMemory memory = memoryOf(peer("alice", ALICE, "10.24.0.2/32", List.of(), 1, 1), peer("bob", BOB, "10.24.0.3/32", List.of(), 1, 1));
        PeerChange change = memory.update(changed("ns/bob", peer("bob", BOB, "10.24.0.13/32", List.of(), 1, 1)), this::lookup);
        assertThat(change.upserts()).containsExactly(new WgPeerConfig(BOB, PSK, null, java.util.Set.of("10.24.0.13/32"), 0));
        assertThat(change.removes()).isEmpty();
        assertThat(change.retain()).isEmpty();
        assertThat(change.routesChange()).isFalse();
    }

    @Test
    void aDeletedPeerIsTheRemovalOfItsKeyAndItsRoutes() {
        PeerMemory memory = memoryOf(peer("alice", ALICE, "10.24.0.2/32", List.of(), 1, 1),
                peer("site", BOB, "10.24.0.3/32", List.of("192.168.7.0/24"), 1, 1));
        PeerChange change = memory.update(changed("ns/site", null), this::lookup);
        assertThat(change.upserts()).isEmpty();
        assertThat(change.removes()).containsExactly(BOB);
        assertThat(change.routesRemoved()).containsExactly("192.168.7.0/24");
        assertThat(change.routesAdded()).isEmpty();
        assertThat(memory.get("ns/site")).isNull();
    }

    @Test
    void aRestrictedPeerLeavesTheInterfaceAndComesBackWhenLifted() {
        VpnPeer alice = peer("alice", ALICE, "10.24.0.2/32", List.of(), 1, 1);
        PeerMemory memory = memoryOf(alice);
        VpnPeer restricted = peer("alice", ALICE, "10.24.0.2/32", List.of(), 2, 2);
        restricted.getSpec().setRestricted(true);
        PeerChange off = memory.update(changed("ns/alice", restricted), this::lookup);
        assertThat(off.removes()).containsExactly(ALICE);
        assertThat(off.upserts()).isEmpty();
        PeerChange on = memory.update(changed("ns/alice", peer("alice", ALICE, "10.24.0.2/32", List.of(), 3, 3)), this::lookup);
        assertThat(on.upserts()).extracting(WgPeerConfig::publicKey).containsExactly(ALICE);
        assertThat(on.removes()).isEmpty();
    }

    @Test
    void aPeerTheOperatorHasNotCaughtUpWithIsLeftExactlyAsItIs() {
        PeerMemory memory = memoryOf(peer("alice", ALICE, "10.24.0.2/32", List.of("192.168.7.0/24"), 1, 1));
        // generation 2 not observed yet: pending, its key and routes stay
        PeerChange change = memory.update(changed("ns/alice", peer("alice", ALICE, "10.24.0.9/32", List.of("192.168.7.0/24"), 2, 1)),
                this::lookup);
        assertThat(change.upserts()).isEmpty();
        assertThat(change.removes()).isEmpty();
        assertThat(change.retain()).containsExactly(ALICE);
        assertThat(change.routesChange()).isFalse();
    }

    @Test
    void aRotatedKeyRemovesTheOldKeyAndAddsTheNewOne() {
        PeerMemory memory = memoryOf(peer("alice", ALICE, "10.24.0.2/32", List.of(), 1, 1));
        PeerChange change = memory.update(changed("ns/alice", peer("alice", ROTATED, "10.24.0.2/32", List.of(), 1, 1)), this::lookup);
        assertThat(change.removes()).containsExactly(ALICE);
        assertThat(change.upserts()).extracting(WgPeerConfig::publicKey).containsExactly(ROTATED);
    }

    @Test
    void aSitesSubnetChangeRoutesOnlyTheDifference() {
        PeerMemory memory = memoryOf(peer("site", BOB, "10.24.0.3/32", List.of("192.168.7.0/24", "192.168.8.0/24"), 1, 1));
        PeerChange change = memory.update(changed("ns/site",
                peer("site", BOB, "10.24.0.3/32", List.of("192.168.8.0/24", "192.168.9.0/24"), 2, 2)), this::lookup);
        assertThat(change.routesAdded()).containsExactly(Map.entry("192.168.9.0/24", BOB));
        assertThat(change.routesRemoved()).containsExactly("192.168.7.0/24");
        assertThat(change.upserts()).hasSize(1);
        assertThat(change.upserts().get(0).allowedIps()).containsExactlyInAnyOrder("10.24.0.3/32", "192.168.8.0/24", "192.168.9.0/24");
    }

    @Test
    void aNewPeerWhoseKeysAreNotPublishedYetChangesNothing() {
        PeerMemory memory = memoryOf(peer("alice", ALICE, "10.24.0.2/32", List.of(), 1, 1));
        VpnPeer bob = peer("bob", BOB, "10.24.0.3/32", List.of(), 1, 1);
        published.remove(NodeKeys.peerEntry("uid-bob"));
        PeerChange change = memory.update(changed("ns/bob", bob), this::lookup);
        assertThat(change.upserts()).isEmpty();
        assertThat(change.removes()).isEmpty();
        assertThat(memory.size()).isEqualTo(2);
    }
}
