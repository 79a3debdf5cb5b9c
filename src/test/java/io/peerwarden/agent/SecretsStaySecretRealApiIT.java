package io.peerwarden.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.operator.PeerwardenOperator;
import io.peerwarden.testing.RealCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link SecretsStaySecretScenario} on a real kube-apiserver (schema, CEL and the status subresource
 * enforced): what was written is read from watches of the peers, instances and Events.
 */
class SecretsStaySecretRealApiIT extends SecretsStaySecretScenario {

    private RealCluster cluster;
    private String namespace;

    @Override
    void startCluster() {
        cluster = RealCluster.shared();
        namespace = cluster.createNamespace("secrets");
        dataplane.add(() -> cluster.deleteNamespace(namespace));
        cluster.ensureNode("worker-1", Map.of("kubernetes.io/hostname", "worker-1"), Map.of());
    }

    @Override
    void startOperator() {
        OperatorSettings settings = new OperatorSettings(Set.of(namespace), false, null, -1, Duration.ofMinutes(10), 10, 8);
        dataplane.add(PeerwardenOperator.start(cluster.admin(), settings));
    }

    @Override
    KubernetesClient admin() {
        return cluster.admin();
    }

    @Override
    String namespace() {
        return namespace;
    }

    @Override
    KubernetesClient agentClient() {
        return cluster.admin();
    }

    @Override
    List<String> recordedWrites() {
        return List.of();
    }
}
