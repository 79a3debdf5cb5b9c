package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.testing.RealCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the CRUD mock lets through and a real API server refuses or transforms: resource names as
 * long as Kubernetes allows (label values hold 63 characters, object names 253), and Secrets that
 * users write with {@code stringData}, which only a real server merges into {@code data}.
 */
class NamesAndSecretsRealApiIT {

    private static RealCluster cluster;
    private static KubernetesClient admin;
    private static String namespace;
    private static PeerwardenOperator operator;

    @BeforeAll
    static void start() {
        cluster = RealCluster.shared();
        admin = cluster.admin();
        namespace = cluster.createNamespace("names");
        cluster.ensureNode("worker-1", Map.of("kubernetes.io/hostname", "worker-1"), Map.of());
        operator = PeerwardenOperator.start(admin, new OperatorSettings(Set.of(namespace), false, null, -1, Duration.ofMinutes(10), 4, 4));
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
            cluster.deleteNamespace(namespace);
        }
    }

    /** A DNS subdomain of exactly 253 characters: four labels, each at most 63. */
    private static String longestName(char first) {
        String label = String.valueOf(first).repeat(63);
        return label + "." + label + "." + label + "." + String.valueOf(first).repeat(61);
    }

    private VpnPeer awaitPeer(String name, Predicate<VpnPeer> predicate) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.resources(VpnPeer.class).inNamespace(namespace).withName(name).get(), p -> p != null && predicate.test(p));
    }

    private static VpnInstance instance(String name, String address) {
        VpnInstance instance = OperatorHarness.instance(name, address);
        instance.getMetadata().setNamespace(namespace);
        instance.getSpec().setInterfaceName("pw-names");
        return instance;
    }

    @Test
    void peersAndInstancesWithTheLongestNamesKubernetesAllowsGetTheirSecrets() {
        String instanceName = longestName('i');
        String peerName = longestName('p');
        admin.resource(instance(instanceName, "10.30.0.1/24")).create();
        VpnPeer peer = OperatorHarness.peer(peerName, instanceName, "client");
        peer.getMetadata().setNamespace(namespace);
        admin.resource(peer).create();

        VpnPeer done = awaitPeer(peerName, rendered());
        String secretName = done.getStatus().getConfigSecretName();
        assertThat(secretName).hasSizeLessThanOrEqualTo(253).endsWith("-wireguard").isEqualTo(Labels.peerConfigSecretName(peerName));
        Secret config = admin.secrets().inNamespace(namespace).withName(secretName).get();
        assertThat(config.getData()).containsKey(Labels.CONFIG);
        assertThat(config.getMetadata().getLabels().values()).allSatisfy(v -> assertThat(v).hasSizeLessThanOrEqualTo(63));
        assertThat(admin.secrets().inNamespace(namespace).withName(Labels.instanceKeySecretName(instanceName)).get()).isNotNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            VpnInstance i = admin.resources(VpnInstance.class).inNamespace(namespace).withName(instanceName).get();
            return i.getStatus() != null && Conditions.isTrue(i.getStatus().getConditions(), ConditionTypes.KEY_READY)
                    && i.getStatus().getPublicKey() != null;
        });
    }

    @Test
    void aServerKeyInAStringDataSecretIsRead() {
        String privateKey = WireGuardKeys.generatePrivateKey();
        admin.resource(new SecretBuilder().withNewMetadata().withName("byo-server-key").withNamespace(namespace).endMetadata()
                .withStringData(Map.of("key", privateKey)).build()).create();
        VpnInstance byo = instance("byo", "10.31.0.1/24");
        byo.getSpec().setInterfaceName("pw-byo");
        byo.getSpec().setPrivateKeySecretRef(new SecretKeyRef("byo-server-key", "key"));
        admin.resource(byo).create();

        VpnInstance ready = await().atMost(Duration.ofSeconds(60)).until(
                () -> admin.resources(VpnInstance.class).inNamespace(namespace).withName("byo").get(),
                i -> i.getStatus() != null && Conditions.isTrue(i.getStatus().getConditions(), ConditionTypes.KEY_READY));
        assertThat(ready.getStatus().getPublicKey()).isEqualTo(WireGuardKeys.publicKeyOf(privateKey));
    }
}
