package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.PeerNamespaces;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceStatus;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.tenancy.NamespaceLabels;
import io.peerwarden.core.plan.AllocationLedger;
import io.peerwarden.core.plan.InstancePlan;
import io.peerwarden.core.plan.InstancePlanner;
import io.peerwarden.core.plan.KeySource;
import io.peerwarden.core.plan.NodeInfo;
import io.peerwarden.core.plan.PeerChanges;
import io.peerwarden.core.plan.PeerPlan;
import io.peerwarden.core.plan.PlanMemory;
import io.peerwarden.core.plan.SecretLookup;
import io.peerwarden.core.plan.Seniority;
import io.peerwarden.core.policy.InstallPolicy;
import io.peerwarden.core.status.ConditionTransitions;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.status.PeerTally;
import io.peerwarden.core.text.SafeText;
import io.peerwarden.kube.ApiErrors;
import io.peerwarden.kube.EventRecorder;
import io.peerwarden.kube.StatusUpdates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reconciles a VpnInstance together with all its peers. One reconcile plans the group
 * ({@link InstancePlanner}): JOSDK never runs two reconciles of the same instance at once, so
 * collisions and allocation are decided serially per instance although peers of different
 * instances are reconciled in parallel. Flow: observe (caches) → plan (pure core) → write the
 * differences (Secrets, node keys, peer statuses, Events, instance status). A reconcile woken by peer
 * events plans only those peers ({@link DirtyPeers}, {@link PeerChanges#only}) with the instance's
 * {@link InstanceMemory}; anything else (the instance, nodes, namespaces, neighbours, the first reconcile,
 * a failed one, the periodic resync) plans every peer. Config Secrets are written as the planner decides
 * them ({@link PeerWrites}). Deletions of instances are
 * reconciled too (java-operator-sdk's all-events mode), to withdraw the keys published for their node, which
 * live in the release namespace where no owner reference can reach.
 */
@ControllerConfiguration(name = VpnInstanceReconciler.NAME, triggerReconcilerOnAllEvents = true)
public class VpnInstanceReconciler implements Reconciler<VpnInstance> {

    public static final String NAME = "vpninstance";
    static final String PEERS_BY_INSTANCE = "peersByInstance";
    static final String INSTANCES_BY_NODE = "instancesByNode";
    private static final Logger LOG = LoggerFactory.getLogger(VpnInstanceReconciler.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final OperatorMetrics metrics;
    private final InstancePlanner planner;
    private final AllocationLedger ledger = new AllocationLedger();
    private final DirtyPeers dirty = new DirtyPeers();
    /** by instance UID */
    private final Map<String, InstanceMemory> memories = new ConcurrentHashMap<>();
    private final OrphanPeers orphans;
    private final PeerWrites peerWrites;
    /**
     * plans of every peer, and of changed peers only, and the changed peers those were given (tests and metrics); a
     * reconcile that finds no peer marked (woken by an event that turned out to be the echo of its own write,
     * {@link OwnWrites}, or by a node-keys Secret) plans no one and is not counted as a plan
     */
    private final AtomicLong fullPlans = new AtomicLong();
    private final AtomicLong partialPlans = new AtomicLong();
    private final AtomicLong changedPeersPlanned = new AtomicLong();
    private final long resyncNanos;
    /** The instance as this process last wrote its status, by UID ({@link #newestOf}). */
    private final Map<String, VpnInstance> lastWritten = new java.util.concurrent.ConcurrentHashMap<>();
    private final PeerToInstanceMapper peerMapper = new PeerToInstanceMapper();
    private final EventRecorder events;
    private final InstanceEventSources sources;
    private SecretWriter secretWriter;
    private final NodeKeyPublisher nodeKeys;

    /**
     * @param releaseNamespace the operator's own namespace, where node keys are published
     * @param policy           the cluster admin's install policy
     * @param resync           how often every peer is planned again even when no event said it changed
     */
    public VpnInstanceReconciler(KubernetesClient client, Clock clock, OperatorMetrics metrics, KeySource keys, int writeConcurrency,
                                 String releaseNamespace, InstallPolicy policy, Duration resync) {
        this.nodeKeys = new NodeKeyPublisher(client, metrics, releaseNamespace);
        this.client = client;
        this.clock = clock;
        this.metrics = metrics;
        this.planner = new InstancePlanner(keys, policy);
        this.events = new EventRecorder(client, clock, "peerwarden-operator", () -> metrics.apiWrite("event", "create"));
        this.peerWrites = new PeerWrites(client, clock, metrics, events, writeConcurrency);
        this.orphans = new OrphanPeers(client, clock, metrics);
        this.sources = new InstanceEventSources(dirty, peerMapper, ledger, orphans);
        // a little less than JOSDK's timer, so the reconcile that timer starts is a full one
        this.resyncNanos = Math.max(1, resync.toNanos() * 9 / 10);
    }

    @Override
    public List<EventSource<?, VpnInstance>> prepareEventSources(EventSourceContext<VpnInstance> context) {
        List<EventSource<?, VpnInstance>> list = new ArrayList<>(sources.prepare(context));
        secretWriter = new SecretWriter(client, sources.secrets, metrics);
        peerWrites.caches(secretWriter, sources.peers, dirty.ownWrites());
        orphans.caches(sources.peers::get, sources::instanceKnown, sources::instancesSynced);
        list.add(nodeKeys.eventSource(context));
        return list;
    }

    /** An update of the instance itself that starts a reconcile ({@link InstanceChangeFilter}): every peer is planned. */
    boolean instanceChanged(VpnInstance instance) {
        dirty.everything(ResourceID.fromResource(instance));
        return true;
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    @Override
    public UpdateControl<VpnInstance> reconcile(VpnInstance instance, Context<VpnInstance> context) {
        long started = System.nanoTime();
        boolean success = false;
        ResourceID id = ResourceID.fromResource(instance);
        try {
            if (context.isPrimaryResourceDeleted()) {
                forgetDeleted(instance);
                nodeKeys.withdraw(instance);
                success = true;
                return UpdateControl.noUpdate();
            }
            reconcileGroup(instance, dirty.take(id), context);
            success = true;
            return UpdateControl.noUpdate();
        } catch (KubernetesClientException e) {
            if (!ApiErrors.namespaceTerminating(e)) {
                throw e;
            }
            // the namespace is being deleted (its Secrets may go before the instance): the instance goes too
            LOG.debug("namespace of VpnInstance {}/{} is being deleted; nothing to write", instance.getMetadata().getNamespace(),
                    instance.getMetadata().getName());
            success = true;
            return UpdateControl.noUpdate();
        } finally {
            if (!success && !context.isPrimaryResourceDeleted()) {
                // nothing taken is lost: the next reconcile plans every peer, with a memory of nothing
                dirty.failed(id);
                memories.remove(instance.getMetadata().getUid());
            }
            metrics.reconciled(NAME, success, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private void reconcileGroup(VpnInstance cached, DirtyPeers.Taken changed, Context<VpnInstance> context) {
        VpnInstance instance = newestOf(cached);
        String namespace = instance.getMetadata().getNamespace();
        String instanceKey = key(namespace, instance.getMetadata().getName());
        InstanceMemory memory = memories.computeIfAbsent(instance.getMetadata().getUid(), uid -> new InstanceMemory());
        boolean everything = changed.everything() || !memory.complete || System.nanoTime() - memory.lastFullPlan >= resyncNanos;
        // the index gives the members; get() then prefers copies this operator just wrote
        Supplier<List<VpnPeer>> members = () -> sources.peers.byIndex(PEERS_BY_INSTANCE, instanceKey).stream()
                .map(p -> sources.peers.get(ResourceID.fromResource(p)).orElse(p))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
        PeerChanges peers;
        Supplier<List<VpnPeer>> readable;
        if (everything) {
            List<VpnPeer> all = members.get();
            peers = PeerChanges.everything(all);
            readable = () -> all;
            // O(instances), not O(peers): node keys of instances deleted while no operator ran, figures of gone ones
            Set<String> uids = context.getPrimaryCache().list().map(i -> i.getMetadata().getUid()).collect(Collectors.toSet());
            nodeKeys.pruneOrphans(uids);
            lastWritten.keySet().retainAll(uids);
            memories.keySet().retainAll(uids);
            metrics.retainInstances(context.getPrimaryCache().list()
                    .map(i -> key(i.getMetadata().getNamespace(), i.getMetadata().getName())).collect(Collectors.toSet()));
        } else {
            Map<String, VpnPeer> now = new HashMap<>();
            for (String peerKey : changed.peers()) {
                now.put(peerKey, currentMember(peerKey, instanceKey));
            }
            // listed once, and only when the planner needs the whole group or a referenced Secret is looked up
            Supplier<List<VpnPeer>> once = memoized(members);
            peers = PeerChanges.only(once::get, now);
            readable = once;
        }
        if (everything || !peers.changed().isEmpty()) {
            (everything ? fullPlans : partialPlans).incrementAndGet();
        }
        changedPeersPlanned.addAndGet(everything ? 0 : peers.changed().size());
        metrics.planned(everything, peers.changed().size());

        // each peer's Secret is written as soon as the planner decides it (but in a retry); nothing of this reconcile is still being
        // written when it ends, failed or not (a retry planning from a cache without a Secret still in flight would
        // mint new keys for it)
        PeerWrites.Rollout rollout = peerWrites.rollout(context.getRetryInfo().isEmpty());
        InstancePlan plan;
        Map<String, VpnPeerStatus> statuses;
        try {
            plan = planGroup(instance, peers, readable, context.getPrimaryCache(), memory, rollout);
            ledger.recordAll(plan.allocations());

            // The generated key Secret belongs to no one, so it outlives the instance: an instance deleted and
            // created again under the same name (Argo CD prune and sync, kubectl delete -f; apply -f) adopts it
            // and keeps the server key every client config holds, as cert-manager keeps a Certificate's Secret.
            // Removing the key for good is deleting the Secret. Secrets of older versions, owned by their
            // instance, lose that ownerReference here, before the garbage collector can take them along.
            if (plan.keySecret() != null) {
                secretWriter.write(plan.keySecret(), null);
            }
            secretWriter.disown(namespace, Labels.instanceKeySecretName(instance.getMetadata().getName()));
            // before the peers' statuses, so the agent finds a peer's keys once it sees the peer rendered
            nodeKeys.publish(instance, plan.nodeName(), plan.nodeKeys(), plan.nodeKeysChanged());
            statuses = rollout.statuses(plan.peers());
        } catch (RuntimeException e) {
            rollout.awaitSecrets();
            throw e;
        }
        if (plan.complete()) {
            memory.standings.replaceAll(statuses);
            memory.lastFullPlan = System.nanoTime();
            memory.complete = true;
        } else {
            peers.changed().forEach((peerKey, peer) -> {
                if (peer == null) {
                    memory.standings.remove(peerKey);
                }
            });
            statuses.forEach(memory.standings::put);
        }
        PeerTally tally = memory.standings.tally();
        Optional<Condition> readyBefore = Conditions.find(instance.getStatus() == null ? null : instance.getStatus().getConditions(),
                ConditionTypes.READY);
        Optional<Condition> keyBefore = Conditions.find(instance.getStatus() == null ? null : instance.getStatus().getConditions(),
                ConditionTypes.KEY_READY);
        StatusUpdates.update(client, instance, VpnInstance.class,
                status -> plan.applyTo(status, instance.getMetadata().getGeneration(), tally.counts(), clock))
                .ifPresent(written -> {
                    lastWritten.put(written.getMetadata().getUid(), written);
                    metrics.apiWrite("vpninstance", "update-status");
                    events.warnOnNewFailure(instance, readyBefore,
                            Conditions.find(written.getStatus().getConditions(), ConditionTypes.READY));
                    events.record(instance, ConditionTransitions.keysRegenerated(keyBefore,
                            Conditions.find(written.getStatus().getConditions(), ConditionTypes.KEY_READY)));
                });
        metrics.instanceFigures(instanceKey, tally.total(), tally.ready(), tally.notReady(), tally.unknown(), plan.collisions());
    }

    private static <T> Supplier<T> memoized(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    /** The peer under {@code peerKey} as the cache has it, when it is a live member of the instance; else null (gone). */
    private VpnPeer currentMember(String peerKey, String instanceKey) {
        int slash = peerKey.indexOf('/');
        return sources.peers.get(new ResourceID(peerKey.substring(slash + 1), peerKey.substring(0, slash)))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && instanceKey.equals(PeerToInstanceMapper.instanceKeyOf(p)))
                .orElse(null);
    }

    /**
     * A reconcile's plan, with the instance's memory; each peer's Secret starts being written as soon as it is planned,
     * except in a plan that places the instance or finds it moved: only the plan against the new node's instances counts.
     */
    private InstancePlan planGroup(VpnInstance instance, PeerChanges peers, Supplier<List<VpnPeer>> readable,
                                   IndexedResourceCache<VpnInstance> instances, InstanceMemory memory, PeerWrites.Rollout rollout) {
        List<NodeInfo> nodes = sources.nodes.list().map(NodeInfo::of).toList();
        String node = instance.scheduledNode();
        // one lookup for both plans below: a referenced Secret is read by GET at most once per reconcile
        SecretLookup secrets = new ReferencedSecrets(client, sources::findSecret, instance, readable);
        if (node == null) {
            // not placed yet: nothing is streamed from a plan that may be made again on the node it picks
            InstancePlan first = planOn(instance, null, PeerChanges.everything(peers.all().get()), secrets, nodes, instances,
                    new PlanMemory(), plan -> { });
            return first.nodeName() == null ? first : planOn(instance, first.nodeName(), PeerChanges.everything(peers.all().get()),
                    secrets, nodes, instances, memory.plan, rollout);
        }
        InstancePlan first = planOn(instance, node, peers, secrets, nodes, instances, memory.plan, rollout);
        if (first.nodeName() == null || first.nodeName().equals(node)) {
            return first;
        }
        // moved to another node: what was written so far is overwritten by the plan against that node's instances
        rollout.awaitSecrets();
        return planOn(instance, first.nodeName(), PeerChanges.everything(peers.all().get()), secrets, nodes, instances,
                memory.plan, rollout);
    }

    /** @param readable the peers whose referenced Secrets are read by GET (the others' are absent) */
    private InstancePlan planGroup(VpnInstance instance, List<VpnPeer> peers, List<VpnPeer> readable,
                                   IndexedResourceCache<VpnInstance> instances) {
        List<NodeInfo> nodes = sources.nodes.list().map(NodeInfo::of).toList();
        String node = instance.scheduledNode();
        // one lookup for both plans below: a referenced Secret is read by GET at most once per reconcile
        SecretLookup secrets = new ReferencedSecrets(client, sources::findSecret, instance, readable);
        InstancePlan first = planOn(instance, node, PeerChanges.everything(peers), secrets, nodes, instances, new PlanMemory(), plan -> { });
        // placed on (or moved to) another node: decide again against the instances of that node
        return first.nodeName() != null && !first.nodeName().equals(node)
                ? planOn(instance, first.nodeName(), PeerChanges.everything(peers), secrets, nodes, instances, new PlanMemory(), plan -> { })
                : first;
    }

    /**
     * The plan the next reconcile of the candidate's instance would make from the caches, with the candidate in place of
     * its cached copy (the admission webhook's question); nothing is written or recorded. Empty when the instance is not
     * in the cache or the caches are not started yet (this replica does not reconcile).
     */
    public Optional<InstancePlan> planWith(VpnPeer candidate) {
        IndexedResourceCache<VpnInstance> instances = sources.instanceCache;
        ResourceID id = PeerToInstanceMapper.instanceOf(candidate);
        if (instances == null || sources.peers == null || id == null) {
            return Optional.empty();
        }
        Optional<VpnInstance> cached;
        try {
            cached = instances.get(id);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (cached.isEmpty() || cached.get().getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        VpnInstance instance = newestOf(cached.get());
        String candidateKey = Seniority.key(candidate);
        List<VpnPeer> peers = new ArrayList<>(sources.peers.byIndex(PEERS_BY_INSTANCE, key(id.getNamespace().orElseThrow(), id.getName()))
                .stream()
                .map(p -> sources.peers.get(ResourceID.fromResource(p)).orElse(p))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && !Seniority.key(p).equals(candidateKey))
                .toList());
        peers.add(candidate);
        // only the candidate's own referenced Secrets are read (a key mismatch is its problem): one admission costs no
        // GET per peer; the others' unread keys claim nothing, which can only admit more, never refuse more
        return Optional.of(planGroup(instance, peers, List.of(candidate), instances));
    }

    /**
     * The plan the next reconcile would make for a candidate VpnInstance, in place of its cached copy, with its cached
     * peers (whose referenced Secrets are not read); empty while the caches are not started. Nothing is written.
     */
    public Optional<InstancePlan> planWith(VpnInstance candidate) {
        IndexedResourceCache<VpnInstance> instances = sources.instanceCache;
        if (instances == null || sources.peers == null || candidate.getMetadata() == null) {
            return Optional.empty();
        }
        String candidateKey = Seniority.key(candidate);
        Optional<VpnInstance> cached = instances.list().filter(i -> Seniority.key(i).equals(candidateKey)).findFirst();
        // an update keeps its identity (UID, creation time) and what the operator wrote (status: key, port)
        VpnInstance instance = io.peerwarden.kube.Serialization.copy(candidate, VpnInstance.class);
        cached.ifPresent(c -> {
            instance.getMetadata().setUid(c.getMetadata().getUid());
            instance.getMetadata().setCreationTimestamp(c.getMetadata().getCreationTimestamp());
            instance.setStatus(newestOf(c).getStatus());
        });
        List<VpnPeer> peers = sources.peers.byIndex(PEERS_BY_INSTANCE, candidateKey).stream()
                .map(p -> sources.peers.get(ResourceID.fromResource(p)).orElse(p))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
        return Optional.of(planGroup(instance, peers, List.of(), instances));
    }

    /**
     * The cached instance, or the copy this process wrote last when the cache has not caught up with it yet
     * (JOSDK's cache has no read-after-write guarantee): the plan must see the status it wrote, e.g. the
     * public key that tells a deleted key Secret from one never made.
     */
    private VpnInstance newestOf(VpnInstance cached) {
        VpnInstance written = lastWritten.get(cached.getMetadata().getUid());
        if (written == null || !Objects.equals(written.getMetadata().getGeneration(), cached.getMetadata().getGeneration())) {
            return cached;
        }
        try {
            return Long.parseLong(written.getMetadata().getResourceVersion()) > Long.parseLong(cached.getMetadata().getResourceVersion())
                    ? written : cached;
        } catch (NumberFormatException e) {
            return cached;
        }
    }

    /**
     * Plans the instance against the other instances of {@code node} (from the by-node index; all instances while
     * the node is not known) and the site peers of those sharing it, whose subnets are routed on the same host.
     */
    private InstancePlan planOn(VpnInstance instance, String node, PeerChanges peers, SecretLookup secrets, List<NodeInfo> nodes,
                                IndexedResourceCache<VpnInstance> instances, PlanMemory memory, Consumer<PeerPlan> planned) {
        // as the neighbour informer has them: its events trigger these reconciles, and it may have seen a change or a
        // delete the primary cache has not yet (a reconcile that still found the old holder would refuse again and
        // nothing would wake it later); when the primary cache is ahead instead, the neighbour event comes later
        List<VpnInstance> others = (node == null ? instances.list()
                : instances.byIndex(INSTANCES_BY_NODE, node).stream())
                .filter(i -> !i.getMetadata().getUid().equals(instance.getMetadata().getUid()))
                .flatMap(i -> sources.neighbours.get(ResourceID.fromResource(i)).stream())
                .toList();
        Map<String, List<VpnPeer>> peersOfOthers = new HashMap<>();
        for (VpnInstance other : others) {
            if (node != null && node.equals(other.scheduledNode())) {
                String otherKey = key(other.getMetadata().getNamespace(), other.getMetadata().getName());
                peersOfOthers.put(otherKey, sources.peers.byIndex(PEERS_BY_INSTANCE, otherKey).stream()
                        .filter(p -> p.getSpec() != null && !p.getSpec().siteSubnets().isEmpty()).toList());
            }
        }
        return planner.plan(instance, peers, secrets, ledger, nodes, others, peersOfOthers, (NamespaceLabels) sources::namespaceLabels,
                memory, planned);
    }

    /**
     * Drops what this process remembers of a deleted instance (its memory, marks, last written copy, metric figures) and
     * has its peers checked as orphans. Deleted peers are forgotten as their delete events come ({@link #peerEvent}).
     */
    private void forgetDeleted(VpnInstance instance) {
        ResourceID id = ResourceID.fromResource(instance);
        String instanceKey = key(instance.getMetadata().getNamespace(), instance.getMetadata().getName());
        dirty.forget(id);
        memories.remove(instance.getMetadata().getUid());
        lastWritten.remove(instance.getMetadata().getUid());
        metrics.forgetInstance(instanceKey);
        sources.peers.byIndex(PEERS_BY_INSTANCE, instanceKey).forEach(orphans::instanceGone);
    }

    /** Plans of every peer, plans of changed peers only, and the changed peers those were given, so far (for tests). */
    record PlanCounts(long full, long partial, long changedPeers) {
    }

    PlanCounts planCounts() {
        return new PlanCounts(fullPlans.get(), partialPlans.get(), changedPeersPlanned.get());
    }

    /** Stops the writer threads once JOSDK has stopped reconciling. */
    void close() {
        peerWrites.close();
        orphans.close();
    }

    @Override
    public ErrorStatusUpdateControl<VpnInstance> updateErrorStatus(VpnInstance instance, Context<VpnInstance> context, Exception e) {
        // internal faults (API errors, conflicts) are retried with backoff by JOSDK; nothing is half-decided
        LOG.warn("reconcile of VpnInstance {}/{} failed, will retry: {}", instance.getMetadata().getNamespace(),
                instance.getMetadata().getName(), SafeText.message(e.toString()));
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

}
