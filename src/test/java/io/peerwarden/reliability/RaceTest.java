package io.peerwarden.reliability;

import io.peerwarden.operator.OperatorHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Races against the CRUD mock with the real operator running: 50 peers created at once claiming one address
 * (the earliest by creationTimestamp, then namespace/name, wins on every seeded run), and 200 peers without
 * allowedIPs created at once (200 distinct addresses).
 */
class RaceTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void fiftyPeersClaimingOneAddressAtOnceLeaveExactlyTheEarliestHoldingIt(long seed) {
        try (OperatorHarness harness = new OperatorHarness().startOperator()) {
            String winner = Races.fiftyClaimOneAddress(harness.admin, OperatorHarness.NS, seed);
            FaultRun.record("race (mock, seed " + seed + "): " + Races.CLAIMANTS + " peers claiming " + Races.CLAIMED
                    + " at once: exactly one holds it, the earliest (" + winner + ")");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {4})
    void twoHundredPeersWithoutAllowedIPsCreatedAtOnceGetTwoHundredDistinctAddresses(long seed) {
        try (OperatorHarness harness = new OperatorHarness().startOperator()) {
            Group.createInstance(harness.admin, OperatorHarness.NS);
            Races.allocatedAtOnce(harness.admin, OperatorHarness.NS, seed);
            FaultRun.record("race (mock, seed " + seed + "): " + Races.ALLOCATED + " peers without allowedIPs created at once: "
                    + Races.ALLOCATED + " distinct addresses");
        }
    }
}
