package io.peerwarden.core.node;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnInstanceStatus;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.status.Conditions;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DesiredStateTest {

    private static final String KEY = "wCfzpkKmxmQSlf9AAz7ASQQprWy94T1uNnhlgG15G1s=";
    private static final String PSK = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";
    /** What the operator published for the node: entry → decoded value. */
    private final Map<String, String> published = new HashMap<>();

    private Optional<String> lookup(String entry) {
        return Optional.ofNullable(published.get(entry));
    }

    private void publishPeer(String name, String psk) {
        published.put(NodeKeys.peerEntry("uid-" + name), psk);
    }

    private static VpnInstance instance(String statusNode, String specNode) {
        VpnInstance instance = new VpnInstance();
        instance.setMetadata(new ObjectMetaBuilder().withName("vpn").withNamespace("ns").withUid("uid-vpn").withGeneration(1L).build());
        VpnInstanceSpec spec = new VpnInstanceSpec();
        spec.setAddress(List.of("10.24.0.1/24"));
        spec.setNodeName(specNode);
        instance.setSpec(spec);
        VpnInstanceStatus status = new VpnInstanceStatus();
        status.setNodeName(statusNode);
        // as the operator leaves an instance it accepted: name and port decided for the node
        status.setInterfaceName("pw-vpn-1a2b3");
        status.setListenPort(51833);
        status.setObservedGeneration(1L);
        status.setConditions(Conditions.with(null, ConditionTypes.ACCEPTED, Conditions.TRUE, Reasons.ACCEPTED, "ok", 1L,
                Clock.systemUTC()));
        instance.setStatus(status);
        return instance;
    }

    private static VpnPeer peer(String name, String key, boolean valid, long generation, long observed) {
        VpnPeer peer = new VpnPeer();
        peer.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid("uid-" + name).withGeneration(generation).build());
        VpnPeerSpec spec = new VpnPeerSpec();
        spec.setInstanceRef(new InstanceRef("vpn"));
        peer.setSpec(spec);
        VpnPeerStatus status = new VpnPeerStatus();
        status.setPublicKey(key);
        status.setAllowedIPs(List.of("10.24.0.2/32"));
        status.setObservedGeneration(observed);
        Clock clock = Clock.systemUTC();
        var c = Conditions.with(null, ConditionTypes.VALID, valid ? Conditions.TRUE : Conditions.FALSE,
                valid ? Reasons.VALID : Reasons.ALLOWED_IP_TAKEN, valid ? "ok" : "Allowed IP already taken by another peer", observed, clock);
        c = Conditions.with(c, ConditionTypes.ADDRESS_ASSIGNED, Conditions.TRUE, Reasons.ALLOCATED, "ok", observed, clock);
        c = Conditions.with(c, ConditionTypes.CONFIG_RENDERED, Conditions.TRUE, Reasons.RENDERED, "ok", observed, clock);
        status.setConditions(c);
        peer.setStatus(status);
        return peer;
    }

    @Test
    void instanceBelongsToTheNodeInItsStatusElseItsSpec() {
        assertThat(DesiredState.isOnNode(instance("a", "b"), "a")).isTrue();
        assertThat(DesiredState.isOnNode(instance("a", "b"), "b")).isFalse();
        assertThat(DesiredState.isOnNode(instance(null, "b"), "b")).isTrue();
    }

    @Test
    void classifiesPeersAndTakesPskAndSubnetsFromTheirSources() {
        published.put(NodeKeys.instanceEntry("uid-vpn"), KEY);
        publishPeer("ok", PSK);
        publishPeer("site", "");
        publishPeer("restricted", "");
        VpnPeer ok = peer("ok", "K1", true, 2, 2);
        VpnPeer site = peer("site", "K2", true, 1, 1);
        site.getSpec().setType("site");
        site.getSpec().setSubnets(List.of("10.60.0.0/24"));
        site.getSpec().setEndpoint("192.0.2.1:51820");
        site.getSpec().setPersistentKeepalive(25);
        VpnPeer loser = peer("loser", "K3", false, 1, 1);
        VpnPeer restricted = peer("restricted", "K4", true, 1, 1);
        restricted.getSpec().setRestricted(true);
        VpnPeer editing = peer("editing", "K5", true, 3, 2);
        VpnPeer noSecret = peer("nosecret", "K6", true, 1, 1);

        InterfacePlan plan = DesiredState.plan(instance("node", null), List.of(ok, site, loser, restricted, editing, noSecret),
                this::lookup, true);

        assertThat(plan.desired().privateKey()).isEqualTo(KEY);
        assertThat(plan.desired().listenPort()).isEqualTo(51833);
        assertThat(plan.desired().name()).isEqualTo("pw-vpn-1a2b3");
        assertThat(plan.desired().owner()).isEqualTo("peerwarden:ns/vpn");
        assertThat(plan.peers().get("ok").config().presharedKey()).isEqualTo(PSK);
        assertThat(plan.peers().get("site").config().presharedKey()).isNull();
        assertThat(plan.peers().get("site").config().allowedIps()).containsExactlyInAnyOrder("10.24.0.2/32", "10.60.0.0/24");
        assertThat(plan.peers().get("site").config().endpoint()).isEqualTo("192.0.2.1:51820");
        assertThat(plan.peers().get("site").config().persistentKeepalive()).isEqualTo(25);
        assertThat(plan.desired().routes()).containsEntry("10.60.0.0/24", "K2");
        assertThat(plan.peers().get("loser").kind()).isEqualTo(PeerDisposition.Kind.NOT_VALID);
        assertThat(plan.peers().get("loser").message()).contains("AllowedIPTaken").contains("Allowed IP already taken");
        assertThat(plan.peers().get("restricted").kind()).isEqualTo(PeerDisposition.Kind.RESTRICTED);
        // an edit the operator has not processed yet, or keys not published yet: left live as it is
        assertThat(plan.peers().get("editing").kind()).isEqualTo(PeerDisposition.Kind.PENDING);
        assertThat(plan.peers().get("nosecret").kind()).isEqualTo(PeerDisposition.Kind.PENDING);
        assertThat(plan.desired().retain()).isEqualTo(Set.of("K5", "K6"));
        assertThat(plan.desired().peers()).extracting(p -> p.publicKey()).containsExactlyInAnyOrder("K1", "K2");
    }

    @Test
    void anInstanceWhoseKeyIsNotPublishedYetIsNotAppliedAndSaysWhy() {
        InterfacePlan missing = DesiredState.plan(instance("node", null), List.of(), this::lookup, true);
        assertThat(missing.desired()).isNull();
        assertThat(missing.problemReason()).isEqualTo(Reasons.KEY_NOT_PUBLISHED);
        assertThat(missing.problem()).contains("node").contains(Labels.COMPONENT_NODE_KEYS);

        published.put(NodeKeys.instanceEntry("uid-vpn"), KEY + "\n");
        assertThat(DesiredState.plan(instance("node", null), List.of(), this::lookup, true).desired().privateKey()).isEqualTo(KEY);
    }

    @Test
    void aPublishedKeyThatIsNoWireGuardKeyIsRefusedWithoutQuotingIt() {
        published.put(NodeKeys.instanceEntry("uid-vpn"), "c2VjcmV0LXRva2VuLWZyb20tc29tZXdoZXJl");
        InterfacePlan plan = DesiredState.plan(instance("node", null), List.of(), this::lookup, true);
        assertThat(plan.desired()).isNull();
        assertThat(plan.problemReason()).isEqualTo(Reasons.INVALID_KEY);
        assertThat(plan.problem()).doesNotContain("c2VjcmV0");

        published.put(NodeKeys.instanceEntry("uid-vpn"), KEY);
        publishPeer("bad", "not-a-key-but-a-secret-value");
        publishPeer("good", PSK);
        InterfacePlan peers = DesiredState.plan(instance("node", null),
                List.of(peer("bad", "K1", true, 1, 1), peer("good", "K2", true, 1, 1)), this::lookup, true);
        assertThat(peers.peers().get("bad").kind()).isEqualTo(PeerDisposition.Kind.KEY_INVALID);
        assertThat(peers.peers().get("bad").message()).doesNotContain("not-a-key");
        assertThat(peers.peers().get("good").kind()).isEqualTo(PeerDisposition.Kind.DESIRED);
        assertThat(peers.desired().peers()).extracting(p -> p.publicKey()).containsExactly("K2");
    }

    @Test
    void anInstanceTheOperatorRefusedIsNotAppliedAndItsPeersAreLeftAlone() {
        published.put(NodeKeys.instanceEntry("uid-vpn"), KEY);
        publishPeer("ok", PSK);
        VpnInstance refused = instance("node", null);
        refused.getStatus().setConditions(Conditions.with(null, ConditionTypes.ACCEPTED, Conditions.FALSE, Reasons.LISTEN_PORT_TAKEN,
                "Listen port 51830 is already held on this node by VpnInstance a/b.", 1L, Clock.systemUTC()));

        InterfacePlan plan = DesiredState.plan(refused, List.of(peer("ok", "K1", true, 1, 1)), this::lookup, true);

        assertThat(plan.desired()).isNull();
        assertThat(plan.problemReason()).isEqualTo(Reasons.NOT_ACCEPTED);
        assertThat(plan.problem()).contains("ListenPortTaken").contains("a/b");
        assertThat(plan.peers().get("ok").kind()).isEqualTo(PeerDisposition.Kind.PENDING);
    }

    @Test
    void aGenerationTheOperatorHasNotAcceptedYetIsNotApplied() {
        published.put(NodeKeys.instanceEntry("uid-vpn"), KEY);
        VpnInstance edited = instance("node", null);
        edited.getMetadata().setGeneration(2L);

        InterfacePlan plan = DesiredState.plan(edited, List.of(), this::lookup, true);

        assertThat(plan.desired()).isNull();
        assertThat(plan.problemReason()).isEqualTo(Reasons.WAITING_FOR_OPERATOR);
        VpnInstance neverSeen = instance("node", null);
        neverSeen.setStatus(null);
        assertThat(DesiredState.plan(neverSeen, List.of(), this::lookup, true).desired()).isNull();
    }
}
