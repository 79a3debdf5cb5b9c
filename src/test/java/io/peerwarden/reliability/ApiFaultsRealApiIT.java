package io.peerwarden.reliability;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.operator.PeerwardenOperator;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.FaultyApi;
import io.peerwarden.testing.RealCluster;
import io.peerwarden.testing.SecretHistory;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@link ApiFaultsTest} against a real kube-apiserver ({@link Sizes}: 100 peers, 200 in a full run) created while the operator's requests
 * meet 409, 429, 500, timeouts, lost responses and dropped watches; the end state equals a fault-free
 * run's in another namespace, and no Secret ever changed a key, preshared key or address.
 */
class ApiFaultsRealApiIT {

    @Test
    void peersUnderApiFaultsEndAsWithoutFaultsWithNoKeyOrAddressChanged() throws Exception {
        RealCluster cluster = RealCluster.shared();
        cluster.ensureNode("worker-1", Map.of("kubernetes.io/hostname", "worker-1"), Map.of("InternalIP", "192.0.2.10"));
        KubernetesClient admin = cluster.admin();
        Config base = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));

        Group.State baseline;
        String clean = cluster.createNamespace("faults-clean");
        try (Closer closer = new Closer()) {
            closer.add(() -> cluster.deleteNamespace(clean));
            KubernetesClient client = closer.add(cluster.withUserAgent("peerwarden-operator-clean"));
            closer.add(PeerwardenOperator.start(client, settings(clean)));
            Group.createInstance(admin, clean);
            Group.createPeers(admin, clean, Sizes.FAULT_PEERS_REAL);
            FaultRun.awaitConverged(admin, clean, Sizes.FAULT_PEERS_REAL, Duration.ofMinutes(2));
            baseline = Group.state(admin, clean);
        }

        String faulty = cluster.createNamespace("faults");
        try (Closer closer = new Closer()) {
            closer.add(() -> cluster.deleteNamespace(faulty));
            SecretHistory history = closer.add(new SecretHistory(admin, faulty));
            FaultyApi api = closer.add(new FaultyApi(URI.create(base.getMasterUrl()), admin.getHttpClient(), ApiFaultsTest.SEED,
                    FaultRun.SHARE));
            KubernetesClient client = closer.add(api.client(base, "peerwarden-operator-faulty"));
            closer.add(PeerwardenOperator.start(client, settings(faulty)));
            api.faults(true);

            FaultRun run = new FaultRun("real API server", api, history, admin, faulty, Sizes.FAULT_PEERS_REAL);
            run.createUnderFaultsThenStop();
            run.assertEndsAs(baseline);
        }
    }

    private static OperatorSettings settings(String namespace) {
        OperatorSettings defaults = OperatorSettings.forTests();
        return new OperatorSettings(Set.of(namespace), false, null, -1, defaults.resync(), defaults.threads(), defaults.writeConcurrency());
    }
}
