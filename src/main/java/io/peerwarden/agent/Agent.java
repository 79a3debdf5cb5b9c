package io.peerwarden.agent;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.node.DesiredState;
import io.peerwarden.core.node.InterfacePlan;
import io.peerwarden.core.node.PeerDisposition;
import io.peerwarden.core.node.NodeKeys;
import io.peerwarden.core.node.DesiredInterface;
import io.peerwarden.core.node.PeerChange;
import io.peerwarden.core.node.PeerMemory;
import io.peerwarden.core.wg.WgDump;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.ToolText;
import io.peerwarden.core.wg.WgPeer;
import io.peerwarden.kube.EventRecorder;
import io.peerwarden.kube.StatusUpdates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node agent: informers on VpnInstances and VpnPeers (one per watched namespace, or one over all) and on the
 * keys the operator publishes for this node (Secrets in the release namespace selected by the node's label: the
 * agent reads no other Secret) → desired state per instance on this node → {@link InterfaceDriver} → status. Passes run
 * periodically and, debounced, on events; one at a time.
 * On a normal stop the interfaces stay up (sessions survive an agent restart or upgrade); only an instance that
 * is deleted or moved to another node has its interface torn down — only once every informer is synced, so a
 * half-synced cache never deletes anything, and only for instances in a watched namespace.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    static final String BY_INSTANCE = "byInstance";
    static final String BY_ENTRY = "byEntry";
    static final String BY_UID = "byUid";

    private final KubernetesClient client;
    private final AgentConfig config;
    private final InterfaceDriver driver;
    private final Clock clock;
    private final EventRecorder events;
    private final ScheduledExecutorService loop;
    private final ExecutorService writers;
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final AtomicLong lastPassEnd = new AtomicLong();
    private final Map<String, Instant> lastCounterRefresh = new HashMap<>();
    private final Map<String, Set<String>> pendingResets = new HashMap<>();
    private volatile WatchedInformers<VpnInstance> instances;
    private volatile WatchedInformers<VpnPeer> peers;
    private volatile WatchedInformers<Secret> nodeKeys;
    private volatile String releaseNamespace;
    private volatile boolean stopped;
    private final DataplaneExtras extras = new DataplaneExtras();
    private final StatusMemory statusMemory = new StatusMemory();
    /** What the informers reported since the last pass; the loop takes it at the start of each pass. */
    private final PendingChanges pending = new PendingChanges();
    /** Instance key → its peers as last planned (loop thread), for the event-driven path. */
    private final Map<String, InstanceMemory> memories = new HashMap<>();
    private Instant lastDriftRepair;

    /** What the agent keeps of an instance between passes: its peers as planned, and what the last full pass found. */
    private record InstanceMemory(PeerMemory peers, DesiredInterface desired, boolean complete, boolean routeConflicts,
                                  Set<String> limitedPeers) {
    }

    public Agent(KubernetesClient client, AgentConfig config, InterfaceDriver driver, Clock clock) {
        this.client = client;
        this.events = new EventRecorder(client, clock, "peerwarden-agent", () -> { });
        this.config = config;
        this.driver = driver;
        this.clock = clock;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "agent-loop"));
        this.writers = Executors.newFixedThreadPool(config.statusWriters(), r -> daemon(r, "agent-status"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts the informers (without waiting for their sync) and the pass schedule. */
    public void start() {
        Set<String> namespaces = config.namespaces();
        var instanceOp = client.resources(VpnInstance.class);
        var peerOp = client.resources(VpnPeer.class);
        String release = config.releaseNamespace() != null ? config.releaseNamespace()
                : client.getNamespace() != null ? client.getNamespace() : "default";
        this.releaseNamespace = release;
        WatchedInformers<VpnInstance> instances = WatchedInformers.create(namespaces,
                ns -> instanceOp.inNamespace(ns).runnableInformer(0), () -> instanceOp.inAnyNamespace().runnableInformer(0));
        WatchedInformers<VpnPeer> peers = WatchedInformers.create(namespaces,
                ns -> peerOp.inNamespace(ns).runnableInformer(0), () -> peerOp.inAnyNamespace().runnableInformer(0));
        WatchedInformers<Secret> secrets = WatchedInformers.create(Set.of(release),
                ns -> client.secrets().inNamespace(ns).withLabels(NodeKeys.selector(config.nodeName())).runnableInformer(0),
                () -> {
                    throw new IllegalStateException("node keys are read in the release namespace only");
                });
        secrets.addIndexers(Map.of(BY_ENTRY, s -> s.getData() == null ? List.of() : List.copyOf(s.getData().keySet())));
        // the instance's namespace/name, whichever namespace the peer is in
        peers.addIndexers(Map.of(BY_INSTANCE, p -> instanceOf(p) == null ? List.of() : List.of(instanceOf(p)),
                BY_UID, p -> p.getMetadata().getUid() == null ? List.of() : List.of(p.getMetadata().getUid())));
        instances.retryOnFailure(LOG);
        peers.retryOnFailure(LOG);
        secrets.retryOnFailure(LOG);
        instances.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(VpnInstance obj) {
                changed(pending.instance(key(obj)));
            }

            @Override
            public void onUpdate(VpnInstance oldObj, VpnInstance newObj) {
                if (!DesiredState.sameInterfaceInputs(oldObj, newObj)) {
                    changed(pending.instance(key(newObj)));
                }
            }

            @Override
            public void onDelete(VpnInstance obj, boolean deletedFinalStateUnknown) {
                changed(pending.instance(key(obj)));
            }
        });
        peers.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(VpnPeer obj) {
                changed(pending.peer(instanceOf(obj), PeerMemory.peerKey(obj)));
            }

            @Override
            public void onUpdate(VpnPeer oldObj, VpnPeer newObj) {
                String before = instanceOf(oldObj);
                String after = instanceOf(newObj);
                boolean any = pending.peer(after, PeerMemory.peerKey(newObj));
                if (before != null && !before.equals(after)) {
                    any |= pending.peer(before, PeerMemory.peerKey(oldObj));
                }
                changed(any);
            }

            @Override
            public void onDelete(VpnPeer obj, boolean deletedFinalStateUnknown) {
                statusMemory.forget(obj.getMetadata().getUid());
                changed(pending.peer(instanceOf(obj), PeerMemory.peerKey(obj)));
            }
        });
        secrets.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret obj) {
                changed(pending.all());
            }

            @Override
            public void onUpdate(Secret oldObj, Secret newObj) {
                changed(keysChanged(oldObj.getData(), newObj.getData()));
            }

            @Override
            public void onDelete(Secret obj, boolean deletedFinalStateUnknown) {
                changed(pending.all());
            }
        });
        this.instances = instances;
        this.peers = peers;
        this.nodeKeys = secrets;
        instances.start();
        peers.start();
        secrets.start();
        loop.scheduleWithFixedDelay(() -> safePass(true), 0, config.resyncInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("agent for node {} started (namespaces: {}; node keys from namespace {})", config.nodeName(),
                namespaces.isEmpty() ? "all" : String.join(",", new java.util.TreeSet<>(namespaces)), release);
    }

    private static String key(VpnInstance instance) {
        return instance.getMetadata().getNamespace() + "/" + instance.getMetadata().getName();
    }

    /** The instance's namespace/name, whichever namespace the peer is in; null without an instanceRef. */
    private static String instanceOf(VpnPeer peer) {
        return peer.getSpec() == null || peer.getSpec().getInstanceRef() == null ? null
                : peer.getSpec().getInstanceRef().namespaceOr(peer.getMetadata().getNamespace()) + "/" + peer.getSpec().getInstanceRef().getName();
    }

    private void changed(boolean anything) {
        if (anything) {
            triggerPass();
        }
    }

    /**
     * A node-keys Secret changed: the peers whose entries changed are changed peers (found by UID), an instance entry
     * changes its whole instance.
     */
    private boolean keysChanged(Map<String, String> before, Map<String, String> after) {
        Map<String, String> old = before == null ? Map.of() : before;
        Map<String, String> now = after == null ? Map.of() : after;
        Set<String> entries = new HashSet<>();
        now.forEach((entry, value) -> {
            if (!value.equals(old.get(entry))) {
                entries.add(entry);
            }
        });
        old.keySet().stream().filter(e -> !now.containsKey(e)).forEach(entries::add);
        boolean any = false;
        for (String entry : entries) {
            if (!entry.startsWith(NodeKeys.PEER_PREFIX)) {
                return pending.all();
            }
            for (VpnPeer peer : peers.byIndex(BY_UID, entry.substring(NodeKeys.PEER_PREFIX.length()))) {
                any |= pending.peer(instanceOf(peer), PeerMemory.peerKey(peer));
            }
        }
        return any;
    }

    /** Ready once every informer (every kind, every watched namespace) has its initial list. */
    public boolean ready() {
        return nodeKeys != null && instances.hasSynced() && peers.hasSynced() && nodeKeys.hasSynced();
    }

    /** Alive while passes keep completing. */
    public boolean alive() {
        long last = lastPassEnd.get();
        // generous: a first pass over 10,000 peers writes many statuses
        long allowed = Math.max(5 * config.resyncInterval().toMillis(), 300_000);
        return !stopped && (last == 0 || System.currentTimeMillis() - last < allowed);
    }

    /** A pass soon (debounced): bursts of events give one pass. */
    public void triggerPass() {
        if (!stopped && passQueued.compareAndSet(false, true)) {
            loop.schedule(() -> safePass(false), config.debounce().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void safePass(boolean periodic) {
        passQueued.set(false);
        try {
            pass(periodic);
        } catch (RuntimeException e) {
            LOG.error("agent pass failed", e);
        } finally {
            lastPassEnd.set(System.currentTimeMillis());
        }
    }

    /**
     * One pass over the instances on this node. Runs on the loop thread. Per instance, the cheapest step that can vouch
     * for the result: a full pass (dump, diff, routes, firewall) at start, every drift-repair interval, after an
     * instance-level change and whenever the interface is not known to be converged; only the changed peers
     * ({@link InterfaceDriver#applyChange}: one {@code wg set}) when just peers changed; on a periodic pass without
     * changes, the status pass (one {@code wg show dump}, statuses written only where they changed).
     *
     * @param periodic a scheduled pass (status pass, teardown of gone instances), not one an event triggered
     */
    void pass(boolean periodic) {
        if (stopped) {
            return;
        }
        PendingChanges.Taken changes = pending.take();
        boolean complete = ready();
        boolean teardownSafe = complete;
        Instant now = clock.instant();
        // only a periodic pass visits every instance, so only it repairs drift
        boolean driftRepair = periodic && (lastDriftRepair == null || !now.isBefore(lastDriftRepair.plus(config.driftRepairInterval())));
        if (driftRepair) {
            lastDriftRepair = now;
        }
        boolean firewallAndMetrics = false;
        Set<String> wantedInterfaces = new HashSet<>();
        for (VpnInstance instance : instances.list()) {
            String key = key(instance);
            try {
                if (!DesiredState.isOnNode(instance, config.nodeName()) || instance.getMetadata().getDeletionTimestamp() != null) {
                    memories.remove(key);
                    continue;
                }
                wantedInterfaces.add(DesiredState.interfaceName(instance));
            } catch (RuntimeException e) {
                // its interface (if any) cannot be told from one to tear down: tear nothing down this pass
                teardownSafe = false;
                memories.remove(key);
                passFailed(instance, e);
                continue;
            }
            try {
                Set<String> changedPeers = changes.peers().get(key);
                if (!periodic && !changes.all() && !changes.instances().contains(key) && changedPeers == null) {
                    continue; // an event of another instance: nothing to do here until the next periodic pass
                }
                InstanceMemory memory = memories.get(key);
                String iface = DesiredState.interfaceName(instance);
                // an instance with a route conflict gets the full pass on every periodic pass: the conflict clears by
                // itself once the node's own route goes, which no event announces (conflicts are rare: this stays cheap)
                boolean full = changes.all() || driftRepair || changes.instances().contains(key) || memory == null
                        || !driver.converged(iface) || (complete && !memory.complete()) || (periodic && memory.routeConflicts());
                if (!full && changedPeers != null) {
                    full = !passPeers(instance, memory, iface, changedPeers);
                } else if (!full && periodic) {
                    full = !statusPass(instance, memory, iface);
                    firewallAndMetrics = true;
                }
                if (full) {
                    passInstance(instance, complete);
                    firewallAndMetrics = true;
                }
            } catch (RuntimeException e) {
                memories.remove(key);
                passFailed(instance, e);
            }
        }
        // an instance gone or changed may leave rules to remove: the firewall converges on those passes too
        if (firewallAndMetrics || periodic || changes.all() || !changes.instances().isEmpty()) {
            extras.passEnded(client, events, teardownSafe, wantedInterfaces, this::ownsNamespace);
        }
        memories.keySet().removeIf(k -> instances.get(k.substring(0, k.indexOf('/')), k.substring(k.indexOf('/') + 1)) == null);
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

    /** Forwarding, NAT and access rules with nftables (null: the agent leaves the node's firewall alone). */
    public Agent withFirewall(FirewallDriver firewall) {
        extras.firewall(firewall);
        return this;
    }

    /** Per-peer and per-instance metrics, updated on every pass. */
    public Agent withMetrics(io.peerwarden.agent.metrics.AgentMetrics metrics) {
        extras.metrics(metrics);
        return this;
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

    /** The full pass over one instance: plan every peer, converge the interface by dump and diff, report everything. */
    private void passInstance(VpnInstance instance, boolean complete) {
        String key = key(instance);
        memories.remove(key);
        List<VpnPeer> instancePeers = peers.byIndex(BY_INSTANCE, key);
        InterfacePlan plan = DesiredState.plan(instance, instancePeers, this::publishedKey, complete);
        ApplyResult result = plan.desired() == null ? null : driver.apply(plan.desired());
        extras.instancePassed(instance, instancePeers, plan, result, pendingResets.get(key), clock);
        reportInstance(instance, plan, result);
        writeStatuses(key, instancePeers, plan, result, true);
        if (plan.desired() != null && result != null && result.interfaceOk()) {
            Set<String> limited = new HashSet<>();
            instancePeers.stream().filter(p -> p.getSpec() != null && p.getSpec().getAccess() != null && !p.getSpec().getAccess().isEmpty())
                    .forEach(p -> limited.add(PeerMemory.peerKey(p)));
            memories.put(key, new InstanceMemory(PeerMemory.of(plan, instancePeers), plan.desired(), complete,
                    !result.routeConflicts().isEmpty(), limited));
        }
    }

    /**
     * The event-driven step: only the changed peers are planned again and only their change is applied (one
     * {@code wg set}; {@code ip route} only for subnets that change), and only their statuses are written.
     *
     * @return false when this path cannot vouch for the change (the caller runs the full pass): the instance's firewall
     *         depends on its peers, or it has route conflicts the full pass reports
     */
    private boolean passPeers(VpnInstance instance, InstanceMemory memory, String iface, Set<String> changedPeers) {
        String key = key(instance);
        Map<String, VpnPeer> changed = new java.util.LinkedHashMap<>();
        for (String peerKey : changedPeers) {
            int slash = peerKey.indexOf('/');
            VpnPeer peer = peers.get(peerKey.substring(0, slash), peerKey.substring(slash + 1));
            changed.put(peerKey, peer != null && key.equals(instanceOf(peer)) ? peer : null);
        }
        if (memory.routeConflicts() || (extras.hasFirewall() && firewallDependsOnPeers(instance, memory, changed))) {
            return false;
        }
        PeerChange change = memory.peers().update(changed, this::publishedKey);
        ApplyResult result = driver.applyChange(iface, change);
        pendingResets.computeIfAbsent(key, k -> new HashSet<>()).addAll(result.countersReset());
        List<VpnPeer> present = changed.values().stream().filter(java.util.Objects::nonNull).toList();
        writeStatuses(key, present, lite(iface, memory, present), result, false);
        return true;
    }

    /**
     * Whether the instance's nftables rules name its peers (clients isolated from each other, or access rules), so a
     * peer's change may change them: then only the full pass, which converges the firewall, applies it.
     */
    private static boolean firewallDependsOnPeers(VpnInstance instance, InstanceMemory memory, Map<String, VpnPeer> changed) {
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

    /**
     * The periodic status pass over a converged instance: one {@code wg show dump} for handshakes and counters, the
     * peers' dispositions from memory, statuses written only where they changed.
     *
     * @return false when the interface does not show what the agent applied (unreadable, a peer missing or a stranger
     *         on it): the caller runs the full pass, which repairs it
     */
    private boolean statusPass(VpnInstance instance, InstanceMemory memory, String iface) {
        String key = key(instance);
        Optional<WgDump> live = driver.observe(iface);
        if (live.isEmpty()) {
            return false;
        }
        List<VpnPeer> instancePeers = peers.byIndex(BY_INSTANCE, key);
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
        InterfacePlan plan = lite(iface, memory, instancePeers);
        extras.instancePassed(instance, instancePeers, plan, result, pendingResets.get(key), clock);
        writeStatuses(key, instancePeers, plan, result, true);
        return true;
    }

    /** The interface plan as the memory has it now, for the given peers (by name, as {@link DesiredState#plan} keys them). */
    private static InterfacePlan lite(String iface, InstanceMemory memory, List<VpnPeer> of) {
        Map<String, PeerDisposition> dispositions = new HashMap<>();
        for (VpnPeer peer : of) {
            PeerMemory.Entry entry = memory.peers().get(PeerMemory.peerKey(peer));
            if (entry != null) {
                dispositions.put(peer.getMetadata().getName(), entry.disposition());
            }
        }
        return new InterfacePlan(iface, memory.desired(), null, null, dispositions);
    }

    /**
     * Writes the agent's part of the peers' statuses, only for peers whose observation differs from what was last
     * written ({@link StatusMemory}); counters at most once per counter interval, and only from a pass that read them.
     */
    private void writeStatuses(String key, List<VpnPeer> instancePeers, InterfacePlan plan, ApplyResult result, boolean readCounters) {
        Instant now = clock.instant();
        Instant last = lastCounterRefresh.get(key);
        boolean refreshCounters = readCounters && (last == null || !now.isBefore(last.plus(config.counterInterval())));
        Set<String> resets = pendingResets.computeIfAbsent(key, k -> new HashSet<>());
        if (result != null) {
            resets.addAll(result.countersReset());
        }
        List<Future<?>> writes = new ArrayList<>();
        for (VpnPeer peer : instancePeers) {
            PeerDisposition peerPlan = plan.peers().get(peer.getMetadata().getName());
            if (peerPlan == null) {
                continue;
            }
            PeerObservation seen = observe(peerPlan, plan, result, resets);
            if (seen == null) {
                continue;
            }
            long generation = peer.getMetadata().getGeneration() == null ? 0 : peer.getMetadata().getGeneration();
            if (statusMemory.unchanged(peer, generation, seen, refreshCounters, now)) {
                continue;
            }
            Optional<Condition> appliedBefore = applied(peer.getStatus() == null ? null : peer.getStatus().getConditions());
            writes.add(writers.submit(() -> {
                StatusUpdates.update(client, peer, VpnPeer.class,
                        status -> StatusMutations.peer(status, generation, seen, clock, refreshCounters))
                        .ifPresent(written -> events.warnOnNewFailure(peer, appliedBefore, failure(written.getStatus().getConditions())));
                statusMemory.remember(peer, generation, seen, refreshCounters, now);
            }));
        }
        for (Future<?> write : writes) {
            try {
                write.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("{}: a peer status write failed: {}", key, e.getCause() == null ? e : e.getCause().getMessage());
            }
        }
        if (refreshCounters && result != null && result.live() != null) {
            lastCounterRefresh.put(key, now);
            resets.clear();
        }
    }

    /**
     * One instance's pass threw: the other instances of the node still get theirs. The failure becomes this
     * instance's {@code Applied=False, InterfaceFailed} (and its Warning Event, as a failed {@code wg set} does);
     * its interface and its peers' statuses are left as they are, and the next pass tries again.
     */
    private void passFailed(VpnInstance instance, RuntimeException e) {
        String key = instance.getMetadata().getNamespace() + "/" + instance.getMetadata().getName();
        // the exception's message may quote tool output: sanitized, and the stack without the raw message
        String failure = ToolText.sanitize(e.toString());
        String where = java.util.Arrays.stream(e.getStackTrace()).limit(8).map(StackTraceElement::toString)
                .collect(java.util.stream.Collectors.joining(" < "));
        LOG.error("{}: the pass over this instance failed ({}) at {}; the node's other instances are passed as usual", key, failure, where);
        try {
            String interfaceName = instance.getSpec() == null ? null : instance.getSpec().getInterfaceName();
            long generation = instance.getMetadata().getGeneration() == null ? 0 : instance.getMetadata().getGeneration();
            String message = "The agent on node " + config.nodeName() + " could not apply this instance: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + ToolText.sanitize(e.getMessage())) + ". It retries on every pass.";
            Optional<Condition> appliedBefore = applied(instance.getStatus() == null ? null : instance.getStatus().getConditions());
            StatusUpdates.update(client, instance, VpnInstance.class, st -> StatusMutations.instance(st, generation,
                    st.getInterfaceName() != null ? st.getInterfaceName() : interfaceName, null, null,
                    Conditions.FALSE, Reasons.INTERFACE_FAILED, message, clock))
                    .ifPresent(written -> events.warnOnNewFailure(instance, appliedBefore, failure(written.getStatus().getConditions())));
        } catch (RuntimeException reportFailure) {
            LOG.warn("{}: cannot report the failed pass: {}", key, reportFailure.getMessage());
        }
    }

    private static Optional<Condition> applied(List<Condition> conditions) {
        return Conditions.find(conditions, ConditionTypes.APPLIED);
    }

    /** Applied, when it reports a failure worth an Event (not a user's choice such as Restricted). */
    private static Optional<Condition> failure(List<Condition> conditions) {
        return applied(conditions).filter(c -> Reasons.WG_SET_FAILED.equals(c.getReason())
                || Reasons.INTERFACE_FAILED.equals(c.getReason()) || Reasons.INTERFACE_IN_USE.equals(c.getReason())
                || Reasons.INTERFACE_NAME_NOT_ALLOWED.equals(c.getReason()) || Reasons.ROUTE_CONFLICT.equals(c.getReason())
                || Reasons.INVALID_KEY.equals(c.getReason()));
    }

    /** The verdict on one peer, or null when the agent leaves its status alone (pending, or interface unreadable). */
    public static PeerObservation observe(PeerDisposition plan, InterfacePlan instancePlan, ApplyResult result, Set<String> resets) {
        switch (plan.kind()) {
            case PENDING:
                return null;
            case RESTRICTED:
                return new PeerObservation(Conditions.FALSE, Reasons.RESTRICTED, plan.message(), null, false);
            case NOT_VALID:
                return new PeerObservation(Conditions.FALSE, Reasons.NOT_VALID, plan.message(), null, false);
            case KEY_INVALID:
                return new PeerObservation(Conditions.FALSE, Reasons.INVALID_KEY, plan.message(), null, false);
            default:
                break;
        }
        if (result == null) {
            return new PeerObservation(Conditions.FALSE, Reasons.INTERFACE_FAILED, instancePlan.problem(), null, false);
        }
        String key = plan.config().publicKey();
        WgPeer live = result.live() == null ? null : result.live().peers().get(key);
        boolean reset = resets.contains(key);
        if (!result.interfaceOk()) {
            return new PeerObservation(Conditions.FALSE, result.interfaceReason(),
                    "The server interface " + instancePlan.interfaceName() + " could not be configured: " + result.interfaceError(), live, reset);
        }
        String error = result.peerErrors().get(key);
        if (error != null) {
            return new PeerObservation(Conditions.FALSE, Reasons.WG_SET_FAILED, error, live, reset);
        }
        String conflict = result.routeConflicts().get(key);
        if (conflict != null) {
            return new PeerObservation(Conditions.FALSE, Reasons.ROUTE_CONFLICT, conflict, live, reset);
        }
        if (live == null || result.notShown().contains(key)) {
            return new PeerObservation(Conditions.FALSE, Reasons.WG_SET_FAILED,
                    "The interface " + instancePlan.interfaceName() + " does not show the peer as configured after wg set.", live, reset);
        }
        return new PeerObservation(Conditions.TRUE, Reasons.APPLIED,
                "The server interface " + instancePlan.interfaceName() + " has the peer.", live, reset);
    }

    private void reportInstance(VpnInstance instance, InterfacePlan plan, ApplyResult result) {
        if (result == null && Reasons.WAITING_FOR_OPERATOR.equals(plan.problemReason())) {
            return; // the operator has not decided on this generation: Applied stays as it is
        }
        long generation = instance.getMetadata().getGeneration() == null ? 0 : instance.getMetadata().getGeneration();
        String status;
        String reason;
        String message;
        if (result == null) {
            status = Conditions.FALSE;
            reason = plan.problemReason();
            message = plan.problem();
        } else if (!result.interfaceOk()) {
            status = Conditions.FALSE;
            reason = result.interfaceReason();
            message = Reasons.INTERFACE_FAILED.equals(reason)
                    ? "The interface " + plan.interfaceName() + " could not be configured: " + result.interfaceError()
                    : result.interfaceError();
        } else {
            status = Conditions.TRUE;
            reason = Reasons.APPLIED;
            message = "The interface " + plan.interfaceName() + " is up on node " + config.nodeName() + ".";
        }
        String implementation = result == null ? null : result.implementation();
        Integer port = result == null || result.live() == null ? null : result.live().listenPort();
        Optional<Condition> appliedBefore = applied(instance.getStatus() == null ? null : instance.getStatus().getConditions());
        try {
            StatusUpdates.update(client, instance, VpnInstance.class, s -> StatusMutations.instance(s, generation,
                    plan.interfaceName(), implementation, port, status, reason, message, clock))
                    .ifPresent(written -> events.warnOnNewFailure(instance, appliedBefore, failure(written.getStatus().getConditions())));
        } catch (KubernetesClientException e) {
            LOG.warn("{}/{}: instance status write failed: {}", instance.getMetadata().getNamespace(),
                    instance.getMetadata().getName(), e.getMessage());
        }
    }

    /**
     * An entry of this node's published keys, decoded; a value that is not base64 comes back as text no key
     * matches, so the caller reports it invalid instead of taking it as absent.
     */
    private Optional<String> publishedKey(String entry) {
        List<Secret> holders = nodeKeys.byIndex(BY_ENTRY, entry);
        for (Secret secret : holders) {
            String value = secret.getData() == null ? null : secret.getData().get(entry);
            if (value != null) {
                try {
                    return Optional.of(new String(Base64.getDecoder().decode(value.strip()), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return Optional.of("not base64");
                }
            }
        }
        return Optional.empty();
    }

    /** Runs one pass now on the loop thread and waits for it (tests, and a final pass). */
    public void passNow() {
        try {
            loop.submit(() -> safePass(true)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Stops watching and passing; the interfaces stay as they are. */
    @Override
    public void close() {
        stopped = true;
        loop.shutdown();
        try {
            loop.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writers.shutdown();
        for (WatchedInformers<?> informers : java.util.Arrays.asList(instances, peers, nodeKeys)) {
            if (informers != null) {
                informers.stop();
            }
        }
        driver.detach();
        LOG.info("agent stopped; interfaces left in place");
    }
}
