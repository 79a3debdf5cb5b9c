package io.peerwarden.reliability;

import io.fabric8.kubernetes.client.Config;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.RealCluster;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;
import java.util.Set;

/** {@link OperatorRestartTest} against a real kube-apiserver, in a namespace of its own: 200 peers (500 in a full run, {@link Sizes}). */
class OperatorRestartRealApiIT {

    @Test
    void killedAtSeveralPointsWhileReconcilingKeepsEveryKeyAndAddressAndAWipedStatusIsRebuiltIdentically() throws Exception {
        RealCluster cluster = RealCluster.shared();
        cluster.ensureNode("worker-1", Map.of("kubernetes.io/hostname", "worker-1"), Map.of("InternalIP", "192.0.2.10"));
        String namespace = cluster.createNamespace("restarts");
        try (Closer closer = new Closer()) {
            closer.add(() -> cluster.deleteNamespace(namespace));
            Config base = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
            OperatorSettings defaults = OperatorSettings.forTests();
            OperatorSettings settings = new OperatorSettings(Set.of(namespace), false, null, -1, defaults.resync(), defaults.threads(),
                    defaults.writeConcurrency());
            new RestartRun("real API server", cluster.admin(), namespace, base, settings,
                    () -> cluster.withUserAgent("peerwarden-operator"), closer).run(Sizes.RESTART_PEERS_REAL);
        }
    }
}
