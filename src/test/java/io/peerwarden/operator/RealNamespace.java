package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.RealCluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * A namespace of its own on the shared real cluster ({@link RealCluster}), the operators a test runs
 * there (each watching only this namespace, with its own user agent so that managedFields name the
 * writer), and the reads and waits the real-API operator tests share. Closing stops the operators
 * and deletes the namespace.
 */
final class RealNamespace implements AutoCloseable {

    /** The node the {@link OperatorHarness} builders and deploy/examples place instances on. */
    static final String NODE = "worker-1";
    /** Generous: the garbage collector and the namespace controller work in the background. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    final RealCluster cluster;
    final KubernetesClient admin;
    final String name;
    private final Closer closer = new Closer();

    private RealNamespace(RealCluster cluster, String name) {
        this.cluster = cluster;
        this.admin = cluster.admin();
        this.name = name;
    }

    /** Skips (fails under CI=true) where the real control plane cannot run. */
    static RealNamespace create(String prefix) {
        RealCluster cluster = RealCluster.shared();
        cluster.ensureNode(NODE, Map.of("kubernetes.io/hostname", NODE), Map.of("InternalIP", "192.0.2.10"));
        return new RealNamespace(cluster, cluster.createNamespace(prefix));
    }

    /** Settings for an operator that watches only this namespace. */
    OperatorSettings settings(boolean leaderElection) {
        OperatorSettings defaults = OperatorSettings.forTests();
        return new OperatorSettings(Set.of(name), leaderElection, leaderElection ? name : null, -1, defaults.resync(),
                defaults.threads(), defaults.writeConcurrency());
    }

    /** The operator, as the process {@code userAgent} (the field manager of what it writes); closed with this namespace. */
    PeerwardenOperator startOperator(String userAgent, OperatorSettings settings) {
        KubernetesClient client = closer.add(cluster.withUserAgent(userAgent));
        return closer.add(PeerwardenOperator.start(client, settings));
    }

    PeerwardenOperator startOperator(String userAgent) {
        return startOperator(userAgent, settings(false));
    }

    /** Creates the resource in this namespace. */
    <T extends HasMetadata> T create(T resource) {
        resource.getMetadata().setNamespace(name);
        return admin.resource(resource).create();
    }

    VpnPeer peer(String peer) {
        return admin.resources(VpnPeer.class).inNamespace(name).withName(peer).get();
    }

    VpnInstance instance(String instance) {
        return admin.resources(VpnInstance.class).inNamespace(name).withName(instance).get();
    }

    Optional<Secret> secret(String secret) {
        return Optional.ofNullable(admin.secrets().inNamespace(name).withName(secret).get());
    }

    VpnPeer awaitPeer(String peer, Predicate<VpnPeer> condition) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> peer(peer), p -> p != null && condition.test(p));
    }

    VpnInstance awaitInstance(String instance, Predicate<VpnInstance> condition) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> instance(instance), i -> i != null && condition.test(i));
    }

    Secret awaitSecret(String secret) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> secret(secret), Optional::isPresent).get();
    }

    void awaitSecretGone(String secret) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> secret(secret).isEmpty());
    }

    /** The field managers (user agents) that wrote to the resource, with the subresource they wrote to ("" for the main resource). */
    static List<String> writers(HasMetadata resource) {
        List<ManagedFieldsEntry> entries = resource.getMetadata().getManagedFields();
        return entries == null ? List.of() : entries.stream()
                .map(e -> e.getManager() + (e.getSubresource() == null || e.getSubresource().isEmpty() ? "" : "/" + e.getSubresource()))
                .toList();
    }

    @Override
    public void close() {
        try {
            closer.close();
        } finally {
            admin.namespaces().withName(name).delete();
        }
    }
}
