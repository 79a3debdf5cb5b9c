package io.peerwarden.reliability;

import io.fabric8.kubernetes.client.Config;
import io.peerwarden.operator.OperatorHarness;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.FaultyApi;
import org.junit.jupiter.api.Test;

/**
 * The operator killed in the middle of reconciling 500 peers, at several points: for the API server a
 * process is dead from the request it never sent on ({@link FaultyApi#cutOff}), and then it is closed.
 * A fresh operator each time; every key, preshared key and address survives all of them, and the fifth
 * one completes the group. Then every peer's status is wiped, and a fresh operator (nothing in memory)
 * rebuilds it identically from the Secrets.
 */
class OperatorRestartTest {

    static final int PEERS = Sizes.RESTART_PEERS_MOCK;

    @Test
    void killedAtSeveralPointsWhileReconciling500PeersKeepsEveryKeyAndAddressAndAWipedStatusIsRebuiltIdentically() throws Exception {
        try (Closer closer = new Closer()) {
            OperatorHarness harness = closer.add(new OperatorHarness());
            Config base = harness.admin.getConfiguration();
            new RestartRun("mock", harness.admin, OperatorHarness.NS, base, OperatorSettings.forTests(),
                    () -> harness.cluster.client(OperatorHarness.OPERATOR_AGENT), closer).run(PEERS);
        }
    }
}
