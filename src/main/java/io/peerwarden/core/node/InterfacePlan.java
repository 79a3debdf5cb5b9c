package io.peerwarden.core.node;

import java.util.Map;

/**
 * The desired state of one instance's interface on the agent's node (not the operator's
 * {@link io.peerwarden.core.plan.InstancePlan}).
 *
 * @param desired the interface, or null when it cannot be built ({@code problem} says why)
 * @param peers   peer name → plan, for every VpnPeer referencing the instance
 */
public record InterfacePlan(String interfaceName, DesiredInterface desired, String problem, String problemReason,
                           Map<String, PeerDisposition> peers) {
}
