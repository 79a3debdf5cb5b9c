package io.peerwarden.agent;

import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.node.PeerChange;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The event-driven step: only the changed peers are planned again and only their change is applied (one
 * {@code wg set}; {@code ip route} only for subnets that change), and only their statuses are written.
 */
final class PeerChangeStep {

    private final ClusterView cluster;
    private final InterfaceDriver driver;
    private final DataplaneExtras extras;
    private final StatusReporter reporter;

    PeerChangeStep(ClusterView cluster, InterfaceDriver driver, DataplaneExtras extras, StatusReporter reporter) {
        this.cluster = cluster;
        this.driver = driver;
        this.extras = extras;
        this.reporter = reporter;
    }

    /**
     * @return false when this path cannot vouch for the change (the caller runs the full pass): the instance's firewall
     *         depends on its peers, or it has route conflicts the full pass reports
     */
    boolean run(VpnInstance instance, InstanceMemories.Memory memory, String iface, Set<String> changedPeers) {
        String key = ClusterView.key(instance);
        Map<String, VpnPeer> changed = new LinkedHashMap<>();
        for (String peerKey : changedPeers) {
            int slash = peerKey.indexOf('/');
            VpnPeer peer = cluster.peer(peerKey.substring(0, slash), peerKey.substring(slash + 1));
            changed.put(peerKey, peer != null && key.equals(ClusterView.instanceOf(peer)) ? peer : null);
        }
        if (memory.routeConflicts() || (extras.hasFirewall() && firewallDependsOnPeers(instance, memory, changed))) {
            return false;
        }
        PeerChange change = memory.peers().update(changed, cluster::publishedKey);
        ApplyResult result = driver.applyChange(iface, change);
        reporter.countersReset(key, result.countersReset());
        List<VpnPeer> present = changed.values().stream().filter(Objects::nonNull).toList();
        reporter.peers(key, present, memory.plan(iface, present), result, false);
        return true;
    }

    /**
     * Whether the instance's nftables rules name its peers (clients isolated from each other, or access rules), so a
     * peer's change may change them: then only the full pass, which converges the firewall, applies it.
     */
    private static boolean firewallDependsOnPeers(VpnInstance instance, InstanceMemories.Memory memory, Map<String, VpnPeer> changed) {
        var spec = instance.getSpec();
        if ((spec.getForwarding() != null && !spec.getForwarding().clientToClientOrDefault())
                || (spec.getAccess() != null && !spec.getAccess().isEmpty())) {
            return true;
        }
        for (Map.Entry<String, VpnPeer> peer : changed.entrySet()) {
            VpnPeer now = peer.getValue();
            if (memory.limitedPeers().contains(peer.getKey())
                    || (now != null && now.getSpec() != null && now.getSpec().getAccess() != null && !now.getSpec().getAccess().isEmpty())) {
                return true;
            }
        }
        return false;
    }
}
