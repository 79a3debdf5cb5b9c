package io.peerwarden.reliability;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.operator.OperatorHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.decoded;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A user deletes a Secret holding generated keys. Peerwarden keeps no other copy, so the keys are gone: it
 * generates new ones (as for any generated Secret in Kubernetes, and as docs/troubleshooting.md documents),
 * keeps the address, and says so loudly: a Warning Event and the reason {@code KeysRegenerated} naming the
 * Secret and the old and new public keys, until the user removes the record from the new Secret. Never a
 * silent re-key; the other peers are untouched.
 */
class KeySecretDeletionTest {

    private OperatorHarness harness;

    @BeforeEach
    void start() {
        harness = new OperatorHarness().startOperator();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private List<Event> warnings(String regarding, String reason) {
        return harness.admin.events().v1().events().inNamespace(OperatorHarness.NS).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason()) && regarding.equals(e.getRegarding().getName()))
                .toList();
    }

    @Test
    void aDeletedPeerConfigSecretIsRegeneratedWithTheSameAddressAndReportedUntilAcknowledged() {
        harness.create(instance("office", "10.24.0.1/24"));
        harness.create(peer("alice", "office", "client"));
        harness.create(peer("bob", "office", "client"));
        VpnPeer alice = harness.awaitPeer("alice", rendered());
        VpnPeer bob = harness.awaitPeer("bob", rendered());
        String oldKey = alice.getStatus().getPublicKey();
        String bobSecretVersion = harness.secret("bob-wireguard").orElseThrow().getMetadata().getResourceVersion();

        harness.admin.secrets().inNamespace(OperatorHarness.NS).withName("alice-wireguard").delete();

        VpnPeer regenerated = harness.awaitPeer("alice", condition(ConditionTypes.CONFIG_RENDERED, Conditions.TRUE, Reasons.KEYS_REGENERATED));
        Condition reported = OperatorHarness.conditionOf(regenerated, ConditionTypes.CONFIG_RENDERED);
        String newKey = regenerated.getStatus().getPublicKey();
        assertThat(newKey).isNotEqualTo(oldKey);
        assertThat(reported.getMessage()).contains("Secret alice-wireguard was deleted", oldKey, newKey, "same address",
                "no longer works", Labels.KEYS_REGENERATED_ANNOTATION);
        assertThat(regenerated.getStatus().getAllowedIPs()).as("the address is kept").isEqualTo(alice.getStatus().getAllowedIPs());
        Secret secret = harness.secret("alice-wireguard").orElseThrow();
        assertThat(decoded(secret, Labels.PUBLIC_KEY)).isEqualTo(newKey);
        assertThat(secret.getMetadata().getAnnotations()).containsEntry(Labels.KEYS_REGENERATED_ANNOTATION, oldKey)
                .containsEntry(Labels.ALLOWED_IPS_ANNOTATION, String.join(",", alice.getStatus().getAllowedIPs()));
        await().atMost(Duration.ofSeconds(10)).until(() -> !warnings("alice", Reasons.KEYS_REGENERATED).isEmpty());
        assertThat(warnings("alice", Reasons.KEYS_REGENERATED).get(0).getNote()).contains("alice-wireguard", oldKey);

        // bob was never touched
        assertThat(harness.peer("bob").getStatus().getPublicKey()).isEqualTo(bob.getStatus().getPublicKey());
        assertThat(harness.secret("bob-wireguard").orElseThrow().getMetadata().getResourceVersion()).isEqualTo(bobSecretVersion);

        // the report stays through resyncs, and the key is kept from now on
        harness.resyncInstancesOnWorker1();
        assertThat(harness.peer("alice").getStatus().getPublicKey()).isEqualTo(newKey);
        assertThat(OperatorHarness.conditionOf(harness.peer("alice"), ConditionTypes.CONFIG_RENDERED).getReason())
                .isEqualTo(Reasons.KEYS_REGENERATED);

        // acknowledged: the user removes the record, the reason goes back to Rendered, nothing else changes
        harness.admin.secrets().inNamespace(OperatorHarness.NS).withName("alice-wireguard").edit(s -> {
            s.getMetadata().getAnnotations().remove(Labels.KEYS_REGENERATED_ANNOTATION);
            return s;
        });
        VpnPeer acknowledged = harness.awaitPeer("alice", condition(ConditionTypes.CONFIG_RENDERED, Conditions.TRUE, Reasons.RENDERED));
        assertThat(acknowledged.getStatus().getPublicKey()).isEqualTo(newKey);
        assertThat(warnings("alice", Reasons.KEYS_REGENERATED)).hasSize(1);
    }

    @Test
    void aDeletedInstanceKeySecretIsRegeneratedEveryConfigReRenderedAndReportedOnTheInstance() {
        harness.create(instance("office", "10.24.0.1/24"));
        harness.create(peer("alice", "office", "client"));
        harness.awaitPeer("alice", rendered());
        VpnInstance before = harness.awaitInstance("office", i -> i.getStatus() != null && i.getStatus().getPublicKey() != null);
        String oldServerKey = before.getStatus().getPublicKey();
        String secretName = Labels.instanceKeySecretName("office");

        harness.admin.secrets().inNamespace(OperatorHarness.NS).withName(secretName).delete();

        VpnInstance after = harness.awaitInstance("office", i -> Conditions.find(i.getStatus().getConditions(), ConditionTypes.KEY_READY)
                .map(c -> Conditions.TRUE.equals(c.getStatus()) && Reasons.KEYS_REGENERATED.equals(c.getReason())).orElse(false));
        String newServerKey = after.getStatus().getPublicKey();
        assertThat(newServerKey).isNotEqualTo(oldServerKey);
        Condition keyReady = Conditions.find(after.getStatus().getConditions(), ConditionTypes.KEY_READY).orElseThrow();
        assertThat(keyReady.getMessage()).contains(secretName, "deleted", oldServerKey, newServerKey, "no longer work",
                Labels.KEYS_REGENERATED_ANNOTATION);
        assertThat(harness.secret(secretName).orElseThrow().getMetadata().getAnnotations())
                .containsEntry(Labels.KEYS_REGENERATED_ANNOTATION, oldServerKey);
        await().atMost(Duration.ofSeconds(10)).until(() -> !warnings("office", Reasons.KEYS_REGENERATED).isEmpty());
        // every client config now carries the new server key
        await().atMost(Duration.ofSeconds(30)).until(() -> decoded(harness.secret("alice-wireguard").orElseThrow(), Labels.CONFIG)
                .contains("PublicKey = " + newServerKey));
    }
}
