package io.peerwarden.reliability;

/**
 * How big the reliability runs are. The mock runs use the sizes (200 peers under faults, 500 for
 * restarts) in every run; the real-API and dataplane runs are smaller by default, to keep the suite short
 * on a 2-core machine, and take the sizes with {@code -Dreliability.full=true}. Each size can also
 * be set on its own ({@code -Dreliability.<name>=n}).
 */
final class Sizes {

    static final boolean FULL = Boolean.getBoolean("reliability.full");

    /** Peers created under API faults against the mock. */
    static final int FAULT_PEERS_MOCK = Integer.getInteger("reliability.faults.peers", 200);
    /** Peers created under API faults against the real API server. */
    static final int FAULT_PEERS_REAL = Integer.getInteger("reliability.faults.real.peers", FULL ? 200 : 100);
    /** Peers created under API faults with the agent on a real interface. */
    static final int FAULT_PEERS_AGENT = Integer.getInteger("reliability.faults.agent.peers", FULL ? 200 : 100);
    /** Peers reconciled while the operator is killed, against the mock. */
    static final int RESTART_PEERS_MOCK = Integer.getInteger("reliability.restart.peers", 500);
    /** Peers reconciled while the operator is killed, against the real API server. */
    static final int RESTART_PEERS_REAL = Integer.getInteger("reliability.restart.real.peers", FULL ? 500 : 200);
    /** Peers without allowedIPs created at once against the real API server (the mock: always 200). */
    static final int ALLOCATED_REAL = Integer.getInteger("reliability.races.real.allocated", FULL ? 200 : 100);
    /** Rounds of each of the 20 concurrent status writers. */
    static final int STATUS_ROUNDS = Integer.getInteger("reliability.writers.rounds", FULL ? 30 : 15);

    private Sizes() {
    }
}
