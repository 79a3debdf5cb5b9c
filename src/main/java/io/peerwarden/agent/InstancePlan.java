package io.peerwarden.agent;

import java.util.Map;

/**
 * The desired state of one instance on this node.
 *
 * @param desired the interface, or null when it cannot be built ({@code problem} says why)
 * @param peers   peer name → plan, for every VpnPeer referencing the instance
 */
public record InstancePlan(String interfaceName, DesiredInterface desired, String problem, String problemReason,
                           Map<String, PeerPlan> peers) {
}
