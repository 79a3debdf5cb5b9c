package io.peerwarden.agent;

import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.node.DesiredState;
import io.peerwarden.core.node.InterfacePlan;
import io.peerwarden.core.node.PeerMemory;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The full pass over one instance (at start, as drift repair, after an instance-level change, and whenever the
 * interface is not known to be converged): plan every peer, converge the interface by dump and diff
 * ({@link InterfaceDriver#apply}), report the instance and every peer, and remember the plan for the cheaper steps.
 */
final class FullPass {

    private final ClusterView cluster;
    private final InterfaceDriver driver;
    private final DataplaneExtras extras;
    private final StatusReporter reporter;
    private final InstanceMemories memories;
    private final Clock clock;

    FullPass(ClusterView cluster, InterfaceDriver driver, DataplaneExtras extras, StatusReporter reporter, InstanceMemories memories,
             Clock clock) {
        this.cluster = cluster;
        this.driver = driver;
        this.extras = extras;
        this.reporter = reporter;
        this.memories = memories;
        this.clock = clock;
    }

    void run(VpnInstance instance, boolean complete) {
        String key = ClusterView.key(instance);
        memories.forget(key);
        List<VpnPeer> instancePeers = cluster.peersOf(key);
        InterfacePlan plan = DesiredState.plan(instance, instancePeers, cluster::publishedKey, complete);
        ApplyResult result = plan.desired() == null ? null : driver.apply(plan.desired());
        extras.instancePassed(instance, instancePeers, plan, result, reporter.pendingResets(key), clock);
        reporter.instance(instance, plan, result);
        reporter.peers(key, instancePeers, plan, result, true);
        if (plan.desired() != null && result != null && result.interfaceOk()) {
            Set<String> limited = new HashSet<>();
            instancePeers.stream().filter(p -> p.getSpec() != null && p.getSpec().getAccess() != null && !p.getSpec().getAccess().isEmpty())
                    .forEach(p -> limited.add(PeerMemory.peerKey(p)));
            memories.put(key, new InstanceMemories.Memory(PeerMemory.of(plan, instancePeers), plan.desired(), complete,
                    !result.routeConflicts().isEmpty(), limited));
        }
    }
}
