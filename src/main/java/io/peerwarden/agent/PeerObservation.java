package io.peerwarden.agent;

import io.peerwarden.core.wg.WgPeer;

/**
 * What the agent saw of one peer in a pass: the Applied verdict and the live entry (null when not on the interface).
 *
 * @param countersReset the live counters restarted from zero since the last reading (peer re-added, interface recreated)
 */
public record PeerObservation(String appliedStatus, String appliedReason, String appliedMessage, WgPeer live,
                              boolean countersReset) {
}
