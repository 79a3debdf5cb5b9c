package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.micrometer.core.instrument.Counter;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.PresharedKeySpec;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.keys.WireGuardKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static io.peerwarden.operator.OperatorHarness.decoded;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static io.peerwarden.operator.RealNamespace.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deleting things on a real cluster, where kube-controller-manager's garbage collector and namespace
 * controller do what they do in production: a peer's config Secret goes with the peer, a user's
 * Secret never goes, the generated server key outlives its instance (so a re-created instance, as
 * Argo CD's prune and sync or {@code kubectl delete -f; kubectl apply -f} make one, keeps the key
 * every client config holds), and a namespace full of VPN resources can be deleted.
 */
class LifecycleRealApiIT {

    private RealNamespace ns;

    @BeforeEach
    void namespace() {
        ns = RealNamespace.create("lifecycle");
    }

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    @Test
    void deletingAPeerDeletesItsConfigSecretButNeverTheUsersKeySecret() {
        ns.startOperator("peerwarden-operator");
        ns.create(instance("office", "10.24.0.1/24"));
        // written by hand as users do, with stringData: the API server turns it into data
        Secret userKeys = ns.create(new SecretBuilder().withNewMetadata().withName("bob-keys").endMetadata()
                .addToStringData(Labels.PRIVATE_KEY, WireGuardKeys.generatePrivateKey())
                .addToStringData(Labels.PRESHARED_KEY, WireGuardKeys.generatePresharedKey())
                .build());
        VpnPeer bob = peer("bob", "office", "client");
        bob.getSpec().setPrivateKeySecretRef(new SecretKeyRef("bob-keys", null));
        bob.getSpec().setPresharedKey(new PresharedKeySpec(PresharedKeySpec.SECRET, new SecretKeyRef("bob-keys", null)));
        ns.create(bob);

        VpnPeer rendered = ns.awaitPeer("bob", rendered());
        Secret config = ns.awaitSecret(Labels.peerConfigSecretName("bob"));
        assertThat(rendered.getStatus().getPublicKey())
                .isEqualTo(WireGuardKeys.publicKeyOf(decoded(userKeys, Labels.PRIVATE_KEY)));
        assertThat(decoded(config, Labels.CONFIG)).contains("PresharedKey = " + decoded(userKeys, Labels.PRESHARED_KEY));

        ns.admin.resource(rendered).delete();
        ns.awaitSecretGone(Labels.peerConfigSecretName("bob"));

        Secret userKeysAfter = ns.secret("bob-keys").orElseThrow(() -> new AssertionError("the user's Secret was deleted"));
        assertThat(userKeysAfter.getMetadata().getResourceVersion()).isEqualTo(userKeys.getMetadata().getResourceVersion());
        assertThat(userKeysAfter.getMetadata().getOwnerReferences()).isEmpty();
    }

    @Test
    void aDeletedAndRecreatedInstanceKeepsItsServerKeySoClientConfigsStayValid() {
        ns.startOperator("peerwarden-operator");
        ns.create(instance("office", "10.24.0.1/24"));
        ns.create(peer("alice", "office", "client"));
        String serverKey = ns.awaitInstance("office", i -> i.getStatus() != null && i.getStatus().getPublicKey() != null)
                .getStatus().getPublicKey();
        ns.awaitPeer("alice", rendered());
        Secret keySecret = ns.awaitSecret(Labels.instanceKeySecretName("office"));
        assertThat(keySecret.getMetadata().getOwnerReferences()).as("the key Secret belongs to no one").isEmpty();

        deleteInstanceAndAwaitGarbageCollection("office");
        assertThat(ns.secret(Labels.instanceKeySecretName("office"))).as("the server key outlives its instance").isPresent();

        ns.create(instance("office", "10.24.0.1/24"));

        ns.awaitInstance("office", i -> i.getStatus() != null && serverKey.equals(i.getStatus().getPublicKey()));
        ns.awaitPeer("alice", rendered());
        assertThat(decoded(ns.secret(Labels.peerConfigSecretName("alice")).orElseThrow(), Labels.CONFIG))
                .contains("PublicKey = " + serverKey);
        assertThat(ns.secret(Labels.instanceKeySecretName("office")).orElseThrow().getMetadata().getUid())
                .as("adopted, not generated anew").isEqualTo(keySecret.getMetadata().getUid());
    }

    @Test
    void aKeySecretThatAnOlderVersionGaveToItsInstanceIsDisownedAndSurvivesTheInstance() {
        VpnInstance office = ns.create(instance("office", "10.24.0.1/24"));
        String privateKey = WireGuardKeys.generatePrivateKey();
        ns.create(new SecretBuilder().withNewMetadata().withName(Labels.instanceKeySecretName("office"))
                .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.INSTANCE, "office",
                        Labels.COMPONENT, Labels.COMPONENT_INSTANCE_KEY))
                .withOwnerReferences(ownerReference(office)).endMetadata()
                .addToData(Labels.PRIVATE_KEY, base64(privateKey))
                .addToData(Labels.PUBLIC_KEY, base64(WireGuardKeys.publicKeyOf(privateKey)))
                .build());

        ns.startOperator("peerwarden-operator");

        ns.awaitInstance("office", i -> i.getStatus() != null
                && WireGuardKeys.publicKeyOf(privateKey).equals(i.getStatus().getPublicKey()));
        await().atMost(PATIENCE).until(() -> ns.secret(Labels.instanceKeySecretName("office")).orElseThrow()
                .getMetadata().getOwnerReferences().isEmpty());
        deleteInstanceAndAwaitGarbageCollection("office");
        Secret kept = ns.secret(Labels.instanceKeySecretName("office")).orElseThrow(() -> new AssertionError("collected with its instance"));
        assertThat(decoded(kept, Labels.PRIVATE_KEY)).as("the key itself is untouched").isEqualTo(privateKey);
    }

    @Test
    void theDocumentedCommandRetiresGeneratedServerKeysAndNoOtherSecret() {
        ns.startOperator("peerwarden-operator");
        ns.create(instance("office", "10.24.0.1/24"));
        ns.create(peer("alice", "office", "client"));
        ns.create(new SecretBuilder().withNewMetadata().withName("unrelated").endMetadata()
                .addToStringData("token", "kept").build());
        ns.awaitPeer("alice", rendered());
        ns.awaitSecret(Labels.instanceKeySecretName("office"));
        deleteInstanceAndAwaitGarbageCollection("office");

        // docs/install.md, Uninstalling (with -n instead of -A, to stay in this test's namespace)
        ns.cluster.kubectl("delete", "secrets", "-n", ns.name, "-l", Labels.COMPONENT + "=" + Labels.COMPONENT_INSTANCE_KEY)
                .orFail();

        assertThat(ns.secret(Labels.instanceKeySecretName("office"))).isEmpty();
        assertThat(ns.secret("unrelated")).isPresent();
        assertThat(ns.secret(Labels.peerConfigSecretName("alice"))).isPresent();
    }

    @Test
    void aNamespaceWithInstancesAndPeersCanBeDeletedWithoutFailedReconciles() {
        PeerwardenOperator operator = ns.startOperator("peerwarden-operator");
        ns.create(instance("office", "10.24.0.1/24"));
        ns.create(peer("alice", "office", "client"));
        ns.create(peer("orphan", "nowhere", "client"));
        ns.awaitPeer("alice", rendered());
        ns.awaitSecret(Labels.instanceKeySecretName("office"));

        ns.admin.namespaces().withName(ns.name).delete();

        // the operator keeps running and watching meanwhile: nothing it does may hold the namespace up
        await().atMost(PATIENCE).pollInterval(java.time.Duration.ofMillis(250))
                .until(() -> ns.admin.namespaces().withName(ns.name).get() == null);
        assertThat(failedReconciles(operator)).as("peerwarden_reconciles_total{result=\"error\"}: what alerts watch").isZero();
    }

    private static double failedReconciles(PeerwardenOperator operator) {
        return operator.metrics().registry().find("peerwarden_reconciles_total").tag("result", "error").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /**
     * Deletes the instance as kubectl does (background propagation) and waits until the garbage collector
     * has dealt with it: a canary ConfigMap owned by the instance is gone.
     */
    private void deleteInstanceAndAwaitGarbageCollection(String name) {
        VpnInstance instance = ns.instance(name);
        ConfigMap canary = ns.create(new ConfigMapBuilder().withNewMetadata().withName(name + "-gc-canary")
                .withOwnerReferences(ownerReference(instance)).endMetadata().build());
        ns.admin.resource(instance).delete();
        await().atMost(PATIENCE).until(() -> ns.instance(name) == null
                && ns.admin.configMaps().inNamespace(ns.name).withName(canary.getMetadata().getName()).get() == null);
    }

    private static OwnerReference ownerReference(VpnInstance owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(false).build();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
