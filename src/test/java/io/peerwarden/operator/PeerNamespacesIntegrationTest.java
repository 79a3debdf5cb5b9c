package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.PeerNamespaces;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.testing.CreationTimestamps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.peerwarden.operator.OperatorHarness.NS;
import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.conditionOf;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Peers of other namespaces attach to an instance only where its spec.peerNamespaces allows it; the
 * admitted ones share one pool, one seniority and one set of public keys with the instance's own.
 * The real operator against the CRUD mock.
 */
class PeerNamespacesIntegrationTest {

    private OperatorHarness harness;

    @BeforeEach
    void start() {
        harness = new OperatorHarness().startOperator();
        for (String ns : List.of(NS, "team-b", "team-c")) {
            harness.admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private VpnPeer peerIn(String namespace, String name, String instance) {
        VpnPeer peer = peer(name, instance, "client");
        peer.getMetadata().setNamespace(namespace);
        peer.getSpec().setInstanceRef(new InstanceRef(instance, NS));
        return peer;
    }

    private VpnPeer awaitPeerIn(String namespace, String name, java.util.function.Predicate<VpnPeer> predicate) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> harness.admin.resources(VpnPeer.class).inNamespace(namespace).withName(name).get(),
                        p -> p != null && predicate.test(p));
    }

    @Test
    void aPeerOfAnotherNamespaceIsNotAllowedByDefaultAndNeverRendered() {
        harness.create(instance("office", "10.24.0.1/24"));
        harness.create(peerIn("team-b", "laptop", "office"));

        VpnPeer refused = awaitPeerIn("team-b", "laptop", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.NOT_ALLOWED));

        assertThat(conditionOf(refused, ConditionTypes.VALID).getMessage()).contains(
                "VpnInstance default/office allows peers only from its own namespace (spec.peerNamespaces.from: Same)");
        assertThat(harness.admin.secrets().inNamespace("team-b").withName("laptop-wireguard").get()).isNull();
        assertThat(refused.getStatus().getAllowedIPs()).isNull();
    }

    @Test
    void peersOfSelectedNamespacesAreAdmittedWhenTheNamespaceGetsTheLabelAndRefusedWhenItLosesIt() {
        VpnInstance office = instance("office", "10.24.0.1/24");
        office.getSpec().setPeerNamespaces(new PeerNamespaces(PeerNamespaces.SELECTOR,
                new LabelSelectorBuilder().addToMatchLabels("vpn.example.com/office", "true").build()));
        harness.create(office);
        harness.create(peerIn("team-b", "laptop", "office"));
        awaitPeerIn("team-b", "laptop", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.NOT_ALLOWED));

        harness.admin.namespaces().withName("team-b").edit(n -> {
            n.getMetadata().setLabels(Map.of("vpn.example.com/office", "true"));
            return n;
        });

        VpnPeer admitted = awaitPeerIn("team-b", "laptop", rendered());
        assertThat(admitted.getStatus().getAllowedIPs()).containsExactly("10.24.0.2/32");
        assertThat(harness.admin.secrets().inNamespace("team-b").withName("laptop-wireguard").get())
                .as("the config Secret is in the peer's namespace").isNotNull();
        assertThat(harness.admin.secrets().inNamespace(NS).withName("laptop-wireguard").get()).isNull();

        harness.admin.namespaces().withName("team-b").edit(n -> {
            n.getMetadata().setLabels(Map.of());
            return n;
        });
        awaitPeerIn("team-b", "laptop", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.NOT_ALLOWED));
    }

    @Test
    void admittedPeersOfTwoNamespacesGetDistinctAddressesAndCollideByJoinedSeniority() {
        VpnInstance office = instance("office", "10.24.0.1/24");
        office.getSpec().setPeerNamespaces(new PeerNamespaces(PeerNamespaces.ALL, null));
        harness.create(office);
        VpnPeer hq = peerIn("team-b", "hq", "office");
        hq.getSpec().setAllowedIPs(List.of("10.24.0.10/32"));
        harness.create(hq);
        harness.create(peerIn("team-c", "phone", "office"));
        CreationTimestamps.awaitSecondAfter(awaitPeerIn("team-b", "hq", rendered()));
        VpnPeer local = peer("desk", "office", "client");
        local.getSpec().setAllowedIPs(List.of("10.24.0.10/32"));
        harness.create(local);

        VpnPeer lost = harness.awaitPeer("desk", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.ALLOWED_IP_TAKEN));
        assertThat(conditionOf(lost, ConditionTypes.VALID).getMessage()).contains("team-b/hq");
        VpnPeer phone = awaitPeerIn("team-c", "phone", rendered());
        assertThat(phone.getStatus().getAllowedIPs()).doesNotContain("10.24.0.10/32").hasSize(1);

        // the holder in the other namespace goes: the local peer recovers without anyone touching it
        harness.admin.resources(VpnPeer.class).inNamespace("team-b").withName("hq").delete();
        harness.awaitPeer("desk", rendered());
    }

    @Test
    void aDuplicatePublicKeyIsRefusedNamingTheHolderAndRecoversWhenTheHolderGoes() {
        harness.create(instance("office", "10.24.0.1/24"));
        String key = WireGuardKeys.publicKeyOf(WireGuardKeys.generatePrivateKey());
        VpnPeer owner = peer("owner", "office", "client");
        owner.getSpec().setPublicKey(key);
        harness.create(owner);
        CreationTimestamps.awaitSecondAfter(harness.awaitPeer("owner", rendered()));
        VpnPeer copy = peer("copy", "office", "client");
        copy.getSpec().setPublicKey(key);
        harness.create(copy);

        VpnPeer refused = harness.awaitPeer("copy", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.PUBLIC_KEY_TAKEN));
        assertThat(conditionOf(refused, ConditionTypes.VALID).getMessage())
                .contains("Public key already used by peer default/owner of this instance");
        assertThat(harness.secret("copy-wireguard")).isEmpty();
        assertThat(harness.peer("owner")).matches(rendered());

        harness.admin.resources(VpnPeer.class).inNamespace(NS).withName("owner").delete();
        VpnPeer recovered = harness.awaitPeer("copy", rendered());
        assertThat(recovered.getStatus().getPublicKey()).isEqualTo(key);
    }
}
