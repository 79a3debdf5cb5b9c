package io.peerwarden.agent;

import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.node.InterfacePlan;
import io.peerwarden.core.node.PeerDisposition;
import io.peerwarden.core.node.PeerMemory;
import io.peerwarden.core.wg.WgDump;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The periodic status pass over a converged instance: one {@code wg show dump} for handshakes and counters (which also
 * checks the peers set since the interface was last read, {@link InterfaceDriver#observe}), the peers' dispositions
 * from memory, statuses written only where they changed.
 */
final class StatusPass {

    private static final Logger LOG = LoggerFactory.getLogger(StatusPass.class);

    private final ClusterView cluster;
    private final InterfaceDriver driver;
    private final DataplaneExtras extras;
    private final StatusReporter reporter;
    private final Clock clock;

    StatusPass(ClusterView cluster, InterfaceDriver driver, DataplaneExtras extras, StatusReporter reporter, Clock clock) {
        this.cluster = cluster;
        this.driver = driver;
        this.extras = extras;
        this.reporter = reporter;
        this.clock = clock;
    }

    /**
     * @return false when the interface does not show what the agent applied (unreadable, a peer missing or not as set,
     *         or a stranger on it): the caller runs the full pass, which repairs it
     */
    boolean run(VpnInstance instance, InstanceMemories.Memory memory, String iface) {
        String key = ClusterView.key(instance);
        Optional<WgDump> live = driver.observe(iface);
        if (live.isEmpty()) {
            return false;
        }
        List<VpnPeer> instancePeers = cluster.peersOf(key);
        Set<String> held = new HashSet<>();
        for (VpnPeer peer : instancePeers) {
            PeerMemory.Entry entry = memory.peers().get(PeerMemory.peerKey(peer));
            if (entry == null) {
                continue; // its event is on the way: the event-driven step handles it
            }
            if (entry.key() != null) {
                held.add(entry.key());
            }
            if (entry.disposition().kind() == PeerDisposition.Kind.DESIRED && !live.get().peers().containsKey(entry.key())) {
                LOG.info("{}: peer {} is missing from the interface, repairing it with a full pass", iface, PeerMemory.peerKey(peer));
                return false;
            }
        }
        if (memory.complete() && !held.containsAll(live.get().peers().keySet())) {
            LOG.info("{}: the interface has a peer the agent did not apply, repairing it with a full pass", iface);
            return false;
        }
        ApplyResult result = new ApplyResult(null, null, Map.of(), live.get(), Set.of(), Set.of(), 0, 0, 0, 0, 0, 0);
        InterfacePlan plan = memory.plan(iface, instancePeers);
        extras.instancePassed(instance, instancePeers, plan, result, reporter.pendingResets(key), clock);
        reporter.peers(key, instancePeers, plan, result, true);
        return true;
    }
}
