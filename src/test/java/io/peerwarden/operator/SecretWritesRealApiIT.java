package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.micrometer.core.instrument.Counter;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.testing.QrImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.decoded;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's create-or-update of Secrets on a real API server, which normalises what it stores
 * (owner references, empty maps, base64): a changed peer is re-rendered into the same Secret without
 * losing what others added to it, and an operator restarted against an unchanged cluster finds
 * everything as it wants it and writes nothing.
 */
class SecretWritesRealApiIT {

    private RealNamespace ns;

    @BeforeEach
    void namespace() {
        ns = RealNamespace.create("secrets");
    }

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    @Test
    void aChangedPeerIsReRenderedIntoTheSameSecretKeepingOtherLabels() throws Exception {
        ns.startOperator("peerwarden-operator");
        ns.create(instance("office", "10.24.0.1/24"));
        ns.create(peer("alice", "office", "client"));
        ns.awaitPeer("alice", rendered());
        Secret before = ns.awaitSecret(Labels.peerConfigSecretName("alice"));
        // e.g. a replicator's opt-in label, added after the operator created the Secret
        ns.admin.secrets().inNamespace(ns.name).withName(before.getMetadata().getName())
                .edit(s -> {
                    s.getMetadata().getLabels().put("replicator.example.com/copy", "true");
                    return s;
                });

        VpnPeer alice = ns.peer("alice");
        alice.getSpec().setDns(List.of("10.24.0.53"));
        ns.admin.resource(alice).update();

        Secret after = await().atMost(RealNamespace.PATIENCE).until(() -> ns.secret(Labels.peerConfigSecretName("alice")).orElseThrow(),
                s -> decoded(s, Labels.CONFIG).contains("DNS = 10.24.0.53"));
        assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
        assertThat(after.getMetadata().getLabels()).containsEntry("replicator.example.com/copy", "true")
                .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        assertThat(decoded(after, Labels.PRIVATE_KEY)).as("same key").isEqualTo(decoded(before, Labels.PRIVATE_KEY));
        assertThat(qrCode(after)).as("a fresh QR code of the new config").isEqualTo(decoded(after, Labels.CONFIG));
    }

    @Test
    void theQrCodeIsDrawnIntoTheStoredSecretAndDrawnAgainWhenItGoesMissing() throws Exception {
        ns.startOperator("peerwarden-operator");
        ns.create(instance("office", "10.24.0.1/24"));
        ns.create(peer("alice", "office", "client"));
        ns.awaitPeer("alice", rendered());
        String name = Labels.peerConfigSecretName("alice");
        Secret stored = ns.awaitSecret(name);
        assertThat(qrCode(stored)).isEqualTo(decoded(stored, Labels.CONFIG));


        // someone drops the PNG (an edit, a backup tool that keeps only wg0.conf): the operator draws it again
        ns.admin.secrets().inNamespace(ns.name).withName(name).edit(s -> {
            s.getData().remove(Labels.CONFIG_QR);
            return s;
        });
        Secret repaired = await().atMost(RealNamespace.PATIENCE).until(() -> ns.secret(name).orElseThrow(),
                s -> s.getData().containsKey(Labels.CONFIG_QR));
        assertThat(qrCode(repaired)).isEqualTo(decoded(stored, Labels.CONFIG));
        assertThat(repaired.getData()).as("everything else as it was").hasSameSizeAs(stored.getData());
        assertThat(repaired.getMetadata().getUid()).isEqualTo(stored.getMetadata().getUid());
    }

    private static String qrCode(Secret secret) throws java.io.IOException {
        return QrImages.decode(Base64.getDecoder().decode(secret.getData().get(Labels.CONFIG_QR)));
    }

    @Test
    void anOperatorRestartedAgainstAnUnchangedClusterWritesNothing() {
        PeerwardenOperator first = ns.startOperator("peerwarden-operator");
        ns.create(instance("office", "10.24.0.1/24"));
        VpnPeer site = peer("branch", "office", "site");
        site.getSpec().setSubnets(List.of("192.168.50.0/24"));
        ns.create(site);
        ns.create(peer("alice", "office", "client"));
        ns.create(peer("orphan", "nowhere", "client"));
        ns.awaitPeer("alice", rendered());
        ns.awaitPeer("branch", rendered());
        ns.awaitPeer("orphan", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.INSTANCE_NOT_FOUND));
        ns.awaitInstance("office", i -> i.getStatus() != null && i.getStatus().getPeers() != null
                && i.getStatus().getPeers().getTotal() == 2);
        Map<String, String> versions = resourceVersions();
        first.close();

        PeerwardenOperator restarted = ns.startOperator("peerwarden-operator-restarted");

        await().atMost(RealNamespace.PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> reconciles(restarted, VpnInstanceReconciler.NAME) >= 1 && reconciles(restarted, OrphanPeers.NAME) >= 1);
        assertThat(writes(restarted)).as("API writes of the restarted operator").isZero();
        assertThat(resourceVersions()).isEqualTo(versions);
    }

    private Map<String, String> resourceVersions() {
        Map<String, String> versions = ns.admin.secrets().inNamespace(ns.name).list().getItems().stream()
                .collect(Collectors.toMap(s -> "Secret/" + s.getMetadata().getName(), s -> s.getMetadata().getResourceVersion()));
        ns.admin.resources(VpnPeer.class).inNamespace(ns.name).list().getItems()
                .forEach(p -> versions.put("VpnPeer/" + p.getMetadata().getName(), p.getMetadata().getResourceVersion()));
        versions.put("VpnInstance/office", ns.instance("office").getMetadata().getResourceVersion());
        return versions;
    }

    private static double reconciles(PeerwardenOperator operator, String controller) {
        return operator.metrics().registry().find("peerwarden_reconciles_total").tag("controller", controller).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static double writes(PeerwardenOperator operator) {
        return operator.metrics().registry().find("peerwarden_api_writes_total").counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
