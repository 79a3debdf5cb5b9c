package io.peerwarden.reliability;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.operator.OperatorHarness;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.operator.PeerwardenOperator;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.FaultyApi;
import io.peerwarden.testing.SecretHistory;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

/**
 * The operator over a faulty network to the CRUD mock (409, 429, 500, timeouts, responses lost after the
 * write was applied, refused and dropped watches, {@link FaultyApi}) while 200 peers are created: once the
 * faults stop it converges within 2 minutes to exactly the state of a run without faults, and no Secret
 * ever changed a key, preshared key or address.
 */
class ApiFaultsTest {

    static final int PEERS = Sizes.FAULT_PEERS_MOCK;
    static final long SEED = Long.getLong("reliability.seed", 9L);

    @Test
    void twoHundredPeersUnderApiFaultsEndAsWithoutFaultsWithNoKeyOrAddressChanged() throws Exception {
        Group.State baseline;
        try (OperatorHarness harness = new OperatorHarness().startOperator()) {
            Group.createInstance(harness.admin, OperatorHarness.NS);
            Group.createPeers(harness.admin, OperatorHarness.NS, PEERS);
            FaultRun.awaitConverged(harness.admin, OperatorHarness.NS, PEERS, Duration.ofMinutes(2));
            baseline = Group.state(harness.admin, OperatorHarness.NS);
        }

        try (Closer closer = new Closer()) {
            OperatorHarness harness = closer.add(new OperatorHarness());
            SecretHistory history = closer.add(new SecretHistory(harness.admin, OperatorHarness.NS));
            FaultyApi api = closer.add(new FaultyApi(URI.create(harness.admin.getConfiguration().getMasterUrl()),
                    harness.admin.getHttpClient(), SEED, FaultRun.SHARE));
            KubernetesClient client = closer.add(api.client(harness.admin.getConfiguration(), "peerwarden-operator-faulty"));
            // a start whose first list fails stops the process (the pod restarts): faults begin once it runs
            closer.add(PeerwardenOperator.start(client, OperatorSettings.forTests()));
            api.faults(true);

            FaultRun run = new FaultRun("mock", api, history, harness.admin, OperatorHarness.NS, PEERS);
            run.createUnderFaultsThenStop();
            run.assertEndsAs(baseline);
        }
    }
}
