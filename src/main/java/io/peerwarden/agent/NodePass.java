package io.peerwarden.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.core.node.DesiredState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * One pass over the instances on this node (loop thread). Per instance, the cheapest step that can vouch for the
 * result: the {@link FullPass} at start, every drift-repair interval, after an instance-level change and whenever the
 * interface is not known to be converged; the {@link PeerChangeStep} when just peers changed; on a periodic pass without
 * changes, the {@link StatusPass}. Then the firewall and metrics, and the teardown of interfaces whose instance is gone.
 */
final class NodePass {

    private static final Logger LOG = LoggerFactory.getLogger(NodePass.class);

    private final KubernetesClient client;
    private final AgentConfig config;
    private final ClusterView cluster;
    private final InterfaceDriver driver;
    private final DataplaneExtras extras;
    private final StatusReporter reporter;
    private final Clock clock;
    private final InstanceMemories memories = new InstanceMemories();
    private final FullPass fullPass;
    private final PeerChangeStep peerChangeStep;
    private final StatusPass statusPass;
    private Instant lastDriftRepair;

    NodePass(KubernetesClient client, AgentConfig config, ClusterView cluster, InterfaceDriver driver, DataplaneExtras extras,
             StatusReporter reporter, Clock clock) {
        this.client = client;
        this.config = config;
        this.cluster = cluster;
        this.driver = driver;
        this.extras = extras;
        this.reporter = reporter;
        this.clock = clock;
        this.fullPass = new FullPass(cluster, driver, extras, reporter, memories, clock);
        this.peerChangeStep = new PeerChangeStep(cluster, driver, extras, reporter);
        this.statusPass = new StatusPass(cluster, driver, extras, reporter, clock);
    }

    /**
     * @param changes  what the informers reported since the last pass
     * @param complete whether every informer has synced (only then are peers removed and interfaces torn down)
     * @param periodic a scheduled pass (status pass, teardown of gone instances), not one an event triggered
     */
    void run(PendingChanges.Taken changes, boolean complete, boolean periodic) {
        boolean teardownSafe = complete;
        Instant now = clock.instant();
        // only a periodic pass visits every instance, so only it repairs drift
        boolean driftRepair = periodic && (lastDriftRepair == null || !now.isBefore(lastDriftRepair.plus(config.driftRepairInterval())));
        if (driftRepair) {
            lastDriftRepair = now;
        }
        boolean firewallAndMetrics = false;
        Set<String> wantedInterfaces = new HashSet<>();
        for (VpnInstance instance : cluster.instances()) {
            String key = ClusterView.key(instance);
            try {
                if (!DesiredState.isOnNode(instance, config.nodeName()) || instance.getMetadata().getDeletionTimestamp() != null) {
                    memories.forget(key);
                    continue;
                }
                wantedInterfaces.add(DesiredState.interfaceName(instance));
            } catch (RuntimeException e) {
                // its interface (if any) cannot be told from one to tear down: tear nothing down this pass
                teardownSafe = false;
                memories.forget(key);
                reporter.passFailed(instance, e);
                continue;
            }
            try {
                Set<String> changedPeers = changes.peers().get(key);
                if (!periodic && !changes.all() && !changes.instances().contains(key) && changedPeers == null) {
                    continue; // an event of another instance: nothing to do here until the next periodic pass
                }
                InstanceMemories.Memory memory = memories.get(key);
                String iface = DesiredState.interfaceName(instance);
                // an instance with a route conflict gets the full pass on every periodic pass: the conflict clears by
                // itself once the node's own route goes, which no event announces (conflicts are rare: this stays cheap)
                boolean full = changes.all() || driftRepair || changes.instances().contains(key) || memory == null
                        || !driver.converged(iface) || (complete && !memory.complete()) || (periodic && memory.routeConflicts());
                if (!full && changedPeers != null) {
                    full = !peerChangeStep.run(instance, memory, iface, changedPeers);
                } else if (!full && periodic) {
                    full = !statusPass.run(instance, memory, iface);
                    firewallAndMetrics = true;
                }
                if (full) {
                    fullPass.run(instance, complete);
                    firewallAndMetrics = true;
                }
            } catch (RuntimeException e) {
                memories.forget(key);
                reporter.passFailed(instance, e);
            }
        }
        // an instance gone or changed may leave rules to remove: the firewall converges on those passes too
        if (firewallAndMetrics || periodic || changes.all() || !changes.instances().isEmpty()) {
            extras.passEnded(client, reporter.events(), teardownSafe, wantedInterfaces, this::ownsNamespace);
        }
        memories.retainOnly(k -> cluster.instance(k.substring(0, k.indexOf('/')), k.substring(k.indexOf('/') + 1)) != null);
        if (teardownSafe && (periodic || changes.all() || !changes.instances().isEmpty())) {
            driver.managedInterfaces().forEach((name, owner) -> {
                if (wantedInterfaces.contains(name)) {
                    return;
                }
                String instanceKey = owner.substring(DesiredState.ALIAS_PREFIX.length());
                if (!ownsInterfacesOf(instanceKey)) {
                    LOG.debug("{}: belongs to {}, in a namespace this agent does not watch; left alone", name, instanceKey);
                    return;
                }
                LOG.info("{}: its instance ({}) is gone or moved to another node, tearing the interface down", name, instanceKey);
                driver.teardown(name);
            });
        }
    }

    /** Whether firewall chains of {@code namespace} are this agent's to remove (null: a chain not named by the agent). */
    boolean ownsNamespace(String namespace) {
        return config.namespaces().isEmpty() || (namespace != null && config.namespaces().contains(namespace));
    }

    /**
     * Whether the interface of the instance {@code namespace/name} (from a link alias) is this agent's to tear
     * down: always when it watches all namespaces, else only when it watches that namespace — an instance in an
     * unwatched namespace is not gone, just not seen, and may belong to another agent.
     */
    boolean ownsInterfacesOf(String instanceKey) {
        if (config.namespaces().isEmpty()) {
            return true;
        }
        int slash = instanceKey.indexOf('/');
        return slash > 0 && config.namespaces().contains(instanceKey.substring(0, slash));
    }
}
