package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.PeerNamespaces;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Set;
import java.util.function.Predicate;

import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.conditionOf;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static io.peerwarden.operator.RealNamespace.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cross-namespace attachment on a real kube-apiserver: the instance's spec.peerNamespaces decides,
 * with real Namespace labels, which namespaces' peers it takes; the operator follows label changes.
 */
class PeerNamespacesRealApiIT {

    private RealNamespace network;
    private RealNamespace team;

    @BeforeEach
    void namespaces() {
        network = RealNamespace.create("network");
        team = RealNamespace.create("team");
    }

    @AfterEach
    void cleanUp() {
        team.close();
        network.close();
    }

    private VpnPeer awaitTeamPeer(String name, Predicate<VpnPeer> predicate) {
        return team.awaitPeer(name, predicate);
    }

    @Test
    void aPeerInANamespaceTheInstanceDoesNotAllowIsRejectedAndAcceptedOnceTheNamespaceGetsTheSelectedLabel() {
        OperatorSettings defaults = OperatorSettings.forTests();
        network.startOperator("peerwarden-operator", new OperatorSettings(Set.of(network.name, team.name), false, null, -1,
                defaults.resync(), defaults.threads(), defaults.writeConcurrency()));
        VpnInstance office = instance("office", "10.24.0.1/24");
        office.getSpec().setPeerNamespaces(new PeerNamespaces(PeerNamespaces.SELECTOR,
                new LabelSelectorBuilder().addToMatchLabels("vpn.example.com/office", "allowed").build()));
        network.create(office);
        VpnInstance closed = instance("closed", "10.25.0.1/24");
        network.create(closed);
        VpnPeer laptop = peer("laptop", "office", "client");
        laptop.getSpec().setInstanceRef(new InstanceRef("office", network.name));
        team.create(laptop);
        VpnPeer phone = peer("phone", "closed", "client");
        phone.getSpec().setInstanceRef(new InstanceRef("closed", network.name));
        team.create(phone);

        VpnPeer refused = awaitTeamPeer("laptop", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.NOT_ALLOWED));
        assertThat(conditionOf(refused, ConditionTypes.VALID).getMessage()).contains("VpnInstance " + network.name + "/office")
                .contains("spec.peerNamespaces.from: Selector").contains(team.name + " does not match");
        VpnPeer closedOut = awaitTeamPeer("phone", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.NOT_ALLOWED));
        assertThat(conditionOf(closedOut, ConditionTypes.VALID).getMessage()).contains("VpnInstance " + network.name
                + "/closed allows peers only from its own namespace (spec.peerNamespaces.from: Same)");
        assertThat(team.secret(Labels.peerConfigSecretName("laptop"))).isEmpty();

        team.admin.namespaces().withName(team.name).edit(n -> {
            n.getMetadata().setLabels(new HashMap<>(n.getMetadata().getLabels() == null ? java.util.Map.of() : n.getMetadata().getLabels()));
            n.getMetadata().getLabels().put("vpn.example.com/office", "allowed");
            return n;
        });

        VpnPeer accepted = awaitTeamPeer("laptop", rendered());
        assertThat(accepted.getStatus().getAllowedIPs()).containsExactly("10.24.0.2/32");
        assertThat(team.awaitSecret(Labels.peerConfigSecretName("laptop")).getMetadata().getNamespace())
                .as("the peer's config Secret is in the peer's namespace").isEqualTo(team.name);
        assertThat(network.secret(Labels.peerConfigSecretName("laptop"))).isEmpty();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            VpnInstance status = network.instance("office");
            return status.getStatus() != null && status.getStatus().getPeers() != null
                    && Integer.valueOf(1).equals(status.getStatus().getPeers().getTotal());
        });
        assertThat(team.peer("phone")).matches(condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.NOT_ALLOWED));
    }
}
