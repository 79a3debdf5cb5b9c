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
        ResourceEventHandler<Object> trigger = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Object obj) {
                triggerPass();
            }

            @Override
            public void onUpdate(Object oldObj, Object newObj) {
                triggerPass();
            }

            @Override
            public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
                triggerPass();
            }
        };
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
        peers.addIndexers(Map.of(BY_INSTANCE, p -> p.getSpec() == null || p.getSpec().getInstanceRef() == null
                ? List.of() : List.of(p.getSpec().getInstanceRef().namespaceOr(p.getMetadata().getNamespace())
                + "/" + p.getSpec().getInstanceRef().getName())));
        instances.retryOnFailure(LOG);
        peers.retryOnFailure(LOG);
        secrets.retryOnFailure(LOG);
        instances.addEventHandler(cast(trigger));
        peers.addEventHandler(cast(trigger));
        secrets.addEventHandler(cast(trigger));
        this.instances = instances;
        this.peers = peers;
        this.nodeKeys = secrets;
        instances.start();
        peers.start();
        secrets.start();
        loop.scheduleWithFixedDelay(this::safePass, 0, config.resyncInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("agent for node {} started (namespaces: {}; node keys from namespace {})", config.nodeName(),
                namespaces.isEmpty() ? "all" : String.join(",", new java.util.TreeSet<>(namespaces)), release);
    }

    @SuppressWarnings("unchecked")
    private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> handler) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) handler;
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
            loop.schedule(this::safePass, config.debounce().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void safePass() {
        passQueued.set(false);
        try {
            pass();
        } catch (RuntimeException e) {
            LOG.error("agent pass failed", e);
        } finally {
            lastPassEnd.set(System.currentTimeMillis());
        }
    }

    /** One pass over every instance on this node. Runs on the loop thread. */
    void pass() {
        if (stopped) {
            return;
        }
        boolean complete = ready();
        boolean teardownSafe = complete;
        Set<String> wantedInterfaces = new HashSet<>();
        for (VpnInstance instance : instances.list()) {
            try {
                if (!DesiredState.isOnNode(instance, config.nodeName()) || instance.getMetadata().getDeletionTimestamp() != null) {
                    continue;
                }
                wantedInterfaces.add(DesiredState.interfaceName(instance));
            } catch (RuntimeException e) {
                // its interface (if any) cannot be told from one to tear down: tear nothing down this pass
                teardownSafe = false;
                passFailed(instance, e);
                continue;
            }
            try {
                passInstance(instance, complete);
            } catch (RuntimeException e) {
                passFailed(instance, e);
            }
        }
        extras.passEnded(client, events, teardownSafe, wantedInterfaces, this::ownsNamespace);
        if (teardownSafe) {
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

    private void passInstance(VpnInstance instance, boolean complete) {
        String key = instance.getMetadata().getNamespace() + "/" + instance.getMetadata().getName();
        List<VpnPeer> instancePeers = peers.byIndex(BY_INSTANCE, key);
        InterfacePlan plan = DesiredState.plan(instance, instancePeers, this::publishedKey, complete);
        ApplyResult result = plan.desired() == null ? null : driver.apply(plan.desired());
        extras.instancePassed(instance, instancePeers, plan, result, pendingResets.get(key), clock);

        Instant now = clock.instant();
        Instant last = lastCounterRefresh.get(key);
        boolean refreshCounters = last == null || !now.isBefore(last.plus(config.counterInterval()));
        Set<String> resets = pendingResets.computeIfAbsent(key, k -> new HashSet<>());
        if (result != null) {
            resets.addAll(result.countersReset());
        }

        reportInstance(instance, plan, result);
        List<Future<?>> writes = new ArrayList<>();
        for (VpnPeer peer : instancePeers) {
            PeerDisposition peerPlan = plan.peers().get(peer.getMetadata().getName());
            PeerObservation seen = observe(peerPlan, plan, result, resets);
            if (seen == null) {
                continue;
            }
            long generation = peer.getMetadata().getGeneration() == null ? 0 : peer.getMetadata().getGeneration();
            Optional<Condition> appliedBefore = applied(peer.getStatus() == null ? null : peer.getStatus().getConditions());
            writes.add(writers.submit(() -> StatusUpdates.update(client, peer, VpnPeer.class,
                    status -> StatusMutations.peer(status, generation, seen, clock, refreshCounters))
                    .ifPresent(written -> events.warnOnNewFailure(peer, appliedBefore, failure(written.getStatus().getConditions())))));
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
    static PeerObservation observe(PeerDisposition plan, InterfacePlan instancePlan, ApplyResult result, Set<String> resets) {
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
            loop.submit(this::safePass).get();
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
