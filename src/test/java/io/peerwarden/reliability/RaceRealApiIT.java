package io.peerwarden.reliability;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.operator.PeerwardenOperator;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.RealCluster;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

/**
 * {@link RaceTest} against a real kube-apiserver (real creation timestamps, real concurrency): 50 peers
 * claiming one address, then 100 peers (200 in a full run, {@link Sizes}) without allowedIPs in the same
 * instance, each created at once.
 */
class RaceRealApiIT {

    @Test
    void theEarliestOfFiftyClaimantsWinsAndTwoHundredPeersCreatedAtOnceGetDistinctAddresses() {
        RealCluster cluster = RealCluster.shared();
        cluster.ensureNode("worker-1", Map.of("kubernetes.io/hostname", "worker-1"), Map.of("InternalIP", "192.0.2.10"));
        String namespace = cluster.createNamespace("races");
        try (Closer closer = new Closer()) {
            closer.add(() -> cluster.deleteNamespace(namespace));
            KubernetesClient client = closer.add(cluster.withUserAgent("peerwarden-operator-races"));
            OperatorSettings defaults = OperatorSettings.forTests();
            closer.add(PeerwardenOperator.start(client, new OperatorSettings(Set.of(namespace), false, null, -1, defaults.resync(),
                    defaults.threads(), defaults.writeConcurrency())));
            String winner = Races.fiftyClaimOneAddress(cluster.admin(), namespace, 7);
            Races.allocatedAtOnce(cluster.admin(), namespace, 8, Sizes.ALLOCATED_REAL);
            FaultRun.record("race (real API server, seeds 7, 8): " + Races.CLAIMANTS + " peers claiming " + Races.CLAIMED
                    + " at once: the earliest (" + winner + ") holds it; " + Sizes.ALLOCATED_REAL
                    + " peers without allowedIPs created at once beside them: " + Sizes.ALLOCATED_REAL + " distinct addresses");
        }
    }
}
