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
import io.peerwarden.core.plan.AllocationLedger;
import io.peerwarden.core.plan.InstancePlan;
import io.peerwarden.core.plan.InstancePlanner;
import io.peerwarden.core.plan.KeySource;
import io.peerwarden.core.plan.NodeInfo;
import io.peerwarden.core.plan.PeerPlan;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Reconciles a VpnInstance together with all its peers. One reconcile plans the whole group
 * ({@link InstancePlanner}): JOSDK never runs two reconciles of the same instance at once, so
 * collisions and allocation are decided serially per instance although peers of different
 * instances are reconciled in parallel. Flow: observe (caches) → plan (pure core) → write the
 * differences (Secrets, node keys, peer statuses, Events, instance status). Deletions of instances are
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
    /** The instance as this process last wrote its status, by UID ({@link #newestOf}). */
    private final Map<String, VpnInstance> lastWritten = new java.util.concurrent.ConcurrentHashMap<>();
    private final PeerToInstanceMapper peerMapper = new PeerToInstanceMapper();
    private final EventRecorder events;
    private InformerEventSource<VpnPeer, VpnInstance> peerSource;
    private InformerEventSource<Secret, VpnInstance> secretSource;
    private InformerEventSource<Node, VpnInstance> nodeSource;
    private InformerEventSource<Namespace, VpnInstance> namespaceSource;
    private InformerEventSource<VpnInstance, VpnInstance> neighbourSource;
    /** JOSDK's cache of the instances, for {@link #planWith} (set with the event sources) */
    private volatile IndexedResourceCache<VpnInstance> instanceCache;
    private SecretWriter secretWriter;
    private final NodeKeyPublisher nodeKeys;
    private final ExecutorService writers;

    /**
     * @param releaseNamespace the operator's own namespace, where node keys are published
     * @param policy           the cluster admin's install policy
     */
    public VpnInstanceReconciler(KubernetesClient client, Clock clock, OperatorMetrics metrics, KeySource keys, int writeConcurrency,
                                 String releaseNamespace, InstallPolicy policy) {
        this.nodeKeys = new NodeKeyPublisher(client, metrics, releaseNamespace);
        this.writers = Executors.newFixedThreadPool(writeConcurrency, daemonThreads());
        this.client = client;
        this.clock = clock;
        this.metrics = metrics;
        this.planner = new InstancePlanner(keys, policy);
        this.events = new EventRecorder(client, clock, "peerwarden-operator", () -> metrics.apiWrite("event", "create"));
    }

    @Override
    public List<EventSource<?, VpnInstance>> prepareEventSources(EventSourceContext<VpnInstance> context) {
        IndexerResourceCache<VpnInstance> instances = context.getPrimaryCache();
        instanceCache = instances;
        instances.addIndexers(Map.of(INSTANCES_BY_NODE,
                instance -> instance.scheduledNode() == null ? List.of() : List.of(instance.scheduledNode())));

        // from the by-node index: this runs on every peer event, so no scan over all instances
        peerMapper.sameNodeInstances(id -> instances.get(id).map(VpnInstance::scheduledNode)
                .map(node -> instances.byIndex(INSTANCES_BY_NODE, node).stream().map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .orElse(Set.of()));
        peerSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(VpnPeer.class, VpnInstance.class)
                .withName("peers")
                .withSecondaryToPrimaryMapper(peerMapper)
                .withOnUpdateFilter(new PeerChangeFilter())
                .build(), context);
        peerSource.addIndexers(Map.of(
                // the instance's namespace/name, whichever namespace the peer is in
                PEERS_BY_INSTANCE, peer -> {
                    String instance = PeerToInstanceMapper.instanceKeyOf(peer);
                    return instance == null ? List.of() : List.of(instance);
                }));

        // only the operator's own Secrets (by label) of the watched namespaces; a Secret a user
        // references is read by a GET when a reconcile needs it (ReferencedSecrets); cached without the QR code PNGs
        secretSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, VpnInstance.class)
                .withName("secrets")
                .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE)
                .withItemStore(new PngFreeSecretStore())
                .withSecondaryToPrimaryMapper(VpnInstanceReconciler::instanceOf)
                .build(), context);

        nodeSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, VpnInstance.class)
                .withName("nodes")
                .withWatchAllNamespaces()
                // node status heartbeats would otherwise wake every instance every few seconds
                .withOnUpdateFilter((newNode, oldNode) -> !Objects.equals(newNode.getMetadata().getLabels(), oldNode.getMetadata().getLabels()))
                .withSecondaryToPrimaryMapper(node -> instances.list()
                        .filter(i -> i.getSpec() != null && (node.getMetadata().getName().equals(i.getSpec().getNodeName())
                                || i.getSpec().getNodeSelector() != null))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        // namespace labels decide which peers an instance with spec.peerNamespaces.from: Selector admits
        namespaceSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(Namespace.class, VpnInstance.class)
                .withName("namespaces")
                .withWatchAllNamespaces()
                .withOnUpdateFilter((newNs, oldNs) -> !Objects.equals(newNs.getMetadata().getLabels(), oldNs.getMetadata().getLabels()))
                .withSecondaryToPrimaryMapper(namespace -> selectingInstancesWithPeersIn(namespace.getMetadata().getName(), instances))
                .build(), context);
        // interface names and ports are unique per node: when an instance comes, changes what it holds or goes, the
        // other instances of its node decide again (a refused one recovers when its holder goes)
        neighbourSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(VpnInstance.class, VpnInstance.class)
                .withName("sameNodeInstances")
                .withOnUpdateFilter((newInstance, oldInstance) -> !Objects.equals(holds(newInstance), holds(oldInstance)))
                .withSecondaryToPrimaryMapper(changed -> changed.scheduledNode() == null ? Set.of()
                        : instances.byIndex(INSTANCES_BY_NODE, changed.scheduledNode()).stream()
                        .filter(i -> !Seniority.key(i).equals(Seniority.key(changed)))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        secretWriter = new SecretWriter(client, secretSource, metrics);
        return List.of(peerSource, secretSource, nodeSource, namespaceSource, neighbourSource, nodeKeys.eventSource(context));
    }

    /** What of an instance decides what it holds on its node: spec, node, deletion, the port it has and whether it is accepted. */
    private static List<Object> holds(VpnInstance instance) {
        VpnInstanceStatus status = instance.getStatus();
        return Arrays.asList(instance.getMetadata().getGeneration(), instance.scheduledNode(),
                instance.getMetadata().getDeletionTimestamp(), status == null ? null : status.getListenPort(),
                status == null ? null : Conditions.find(status.getConditions(), ConditionTypes.ACCEPTED)
                        .map(Condition::getStatus).orElse(null));
    }

    /**
     * The instances that select peer namespaces by label and have a peer in {@code namespace}: the
     * ones whose admitted peers a change of that namespace's labels can change. Linear in the peers of
     * that namespace; namespace labels change rarely.
     */
    private Set<ResourceID> selectingInstancesWithPeersIn(String namespace, IndexerResourceCache<VpnInstance> instances) {
        Set<ResourceID> result = new HashSet<>();
        if (peerSource == null) {
            return result;
        }
        peerSource.list(namespace).forEach(peer -> {
            ResourceID id = PeerToInstanceMapper.instanceOf(peer);
            if (id != null && !namespace.equals(id.getNamespace().orElse(null))) {
                instances.get(id).filter(i -> i.getSpec() != null && i.getSpec().getPeerNamespaces() != null
                        && PeerNamespaces.SELECTOR.equals(i.getSpec().getPeerNamespaces().getFrom())).ifPresent(i -> result.add(id));
            }
        });
        return result;
    }

    private Optional<Map<String, String>> namespaceLabels(String namespace) {
        return namespaceSource.get(new ResourceID(namespace)).map(n -> n.getMetadata().getLabels() == null
                ? Map.<String, String>of() : n.getMetadata().getLabels());
    }

    /** The instance a Secret of the operator's belongs to (node keys are the {@link NodeKeyPublisher}'s to map). */
    private static Set<ResourceID> instanceOf(Secret secret) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        if (labels == null || Labels.COMPONENT_NODE_KEYS.equals(labels.get(Labels.COMPONENT))) {
            return Set.of();
        }
        // the annotation has the whole name; Secrets written before it existed have it in the label
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        String instance = annotations != null && annotations.get(Labels.INSTANCE_NAME_ANNOTATION) != null
                ? annotations.get(Labels.INSTANCE_NAME_ANNOTATION) : labels.get(Labels.INSTANCE);
        if (instance == null) {
            return Set.of();
        }
        // a peer's config Secret lives in the peer's namespace, which need not be the instance's
        String instanceNamespace = annotations == null ? null : annotations.get(Labels.INSTANCE_NAMESPACE_ANNOTATION);
        return Set.of(new ResourceID(instance, instanceNamespace != null ? instanceNamespace : secret.getMetadata().getNamespace()));
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    @Override
    public UpdateControl<VpnInstance> reconcile(VpnInstance instance, Context<VpnInstance> context) {
        long started = System.nanoTime();
        boolean success = false;
        try {
            if (context.isPrimaryResourceDeleted()) {
                nodeKeys.withdraw(instance);
                success = true;
                return UpdateControl.noUpdate();
            }
            reconcileGroup(instance, context);
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
            metrics.reconciled(NAME, success, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private void reconcileGroup(VpnInstance cached, Context<VpnInstance> context) {
        VpnInstance instance = newestOf(cached);
        String namespace = instance.getMetadata().getNamespace();
        // the index gives the members; get() then prefers copies this operator just wrote
        List<VpnPeer> peers = peerSource.byIndex(PEERS_BY_INSTANCE, key(namespace, instance.getMetadata().getName())).stream()
                .map(p -> peerSource.get(ResourceID.fromResource(p)).orElse(p))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
        forgetDeleted(context);
        InstancePlan plan = planGroup(instance, peers, peers, context.getPrimaryCache());
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
        nodeKeys.publish(instance, plan.nodeName(), plan.nodeKeys());
        PeerTally tally = PeerTally.of(writePeers(plan.peers()));
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
        metrics.instanceFigures(key(namespace, instance.getMetadata().getName()), tally.total(), tally.ready(), tally.notReady(),
                tally.unknown(), plan.collisions());
    }

    /** @param readable the peers whose referenced Secrets are read by GET (the others' are absent) */
    private InstancePlan planGroup(VpnInstance instance, List<VpnPeer> peers, List<VpnPeer> readable,
                                   IndexedResourceCache<VpnInstance> instances) {
        List<NodeInfo> nodes = nodeSource.list().map(NodeInfo::of).toList();
        String node = instance.scheduledNode();
        // one lookup for both plans below: a referenced Secret is read by GET at most once per reconcile
        SecretLookup secrets = new ReferencedSecrets(client, this::findSecret, instance, readable);
        InstancePlan first = planOn(instance, node, peers, secrets, nodes, instances);
        // placed on (or moved to) another node: decide again against the instances of that node
        return first.nodeName() != null && !first.nodeName().equals(node)
                ? planOn(instance, first.nodeName(), peers, secrets, nodes, instances) : first;
    }

    /**
     * The plan the next reconcile of the candidate's instance would make from the caches, with the candidate in place of
     * its cached copy (the admission webhook's question); nothing is written or recorded. Empty when the instance is not
     * in the cache or the caches are not started yet (this replica does not reconcile).
     */
    public Optional<InstancePlan> planWith(VpnPeer candidate) {
        IndexedResourceCache<VpnInstance> instances = instanceCache;
        ResourceID id = PeerToInstanceMapper.instanceOf(candidate);
        if (instances == null || peerSource == null || id == null) {
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
        List<VpnPeer> peers = new ArrayList<>(peerSource.byIndex(PEERS_BY_INSTANCE, key(id.getNamespace().orElseThrow(), id.getName()))
                .stream()
                .map(p -> peerSource.get(ResourceID.fromResource(p)).orElse(p))
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
        IndexedResourceCache<VpnInstance> instances = instanceCache;
        if (instances == null || peerSource == null || candidate.getMetadata() == null) {
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
        List<VpnPeer> peers = peerSource.byIndex(PEERS_BY_INSTANCE, candidateKey).stream()
                .map(p -> peerSource.get(ResourceID.fromResource(p)).orElse(p))
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
    private InstancePlan planOn(VpnInstance instance, String node, List<VpnPeer> peers, SecretLookup secrets,
                                List<NodeInfo> nodes, IndexedResourceCache<VpnInstance> instances) {
        // as the neighbour informer has them: its events trigger these reconciles, and it may have seen a change or a
        // delete the primary cache has not yet (a reconcile that still found the old holder would refuse again and
        // nothing would wake it later); when the primary cache is ahead instead, the neighbour event comes later
        List<VpnInstance> others = (node == null ? instances.list()
                : instances.byIndex(INSTANCES_BY_NODE, node).stream())
                .filter(i -> !i.getMetadata().getUid().equals(instance.getMetadata().getUid()))
                .flatMap(i -> neighbourSource.get(ResourceID.fromResource(i)).stream())
                .toList();
        Map<String, List<VpnPeer>> peersOfOthers = new HashMap<>();
        for (VpnInstance other : others) {
            if (node != null && node.equals(other.scheduledNode())) {
                String otherKey = key(other.getMetadata().getNamespace(), other.getMetadata().getName());
                peersOfOthers.put(otherKey, peerSource.byIndex(PEERS_BY_INSTANCE, otherKey).stream()
                        .filter(p -> p.getSpec() != null && !p.getSpec().siteSubnets().isEmpty()).toList());
            }
        }
        return planner.plan(instance, peers, secrets, ledger, nodes, others, peersOfOthers, this::namespaceLabels);
    }

    /**
     * Drops what this process remembers of deleted instances and peers (allocations, last instance
     * of a peer, metric figures), and node keys of instances deleted while no operator ran. Linear
     * in the cached peers; API calls only for such leftovers.
     */
    private void forgetDeleted(Context<VpnInstance> context) {
        Set<String> instanceKeys = context.getPrimaryCache().list()
                .map(i -> key(i.getMetadata().getNamespace(), i.getMetadata().getName())).collect(Collectors.toSet());
        nodeKeys.pruneOrphans(context.getPrimaryCache().list().map(i -> i.getMetadata().getUid()).collect(Collectors.toSet()));
        Set<String> peerUids = peerSource.list().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
        ledger.retainOnly(peerUids);
        Set<String> instanceUids = context.getPrimaryCache().list().map(i -> i.getMetadata().getUid()).collect(Collectors.toSet());
        lastWritten.keySet().retainAll(instanceUids);
        peerMapper.retainOnly(peerUids);
        metrics.retainInstances(instanceKeys);
    }

    /**
     * Writes each peer's Secret and status, a bounded number of peers at a time: the writes of
     * different peers are independent, and with thousands of peers one API round trip after the
     * other would make a first rollout take minutes. A failed write fails the reconcile after the
     * others finished, and the retry redoes only what is still different.
     */
    private List<VpnPeerStatus> writePeers(List<PeerPlan> plans) {
        List<Future<VpnPeerStatus>> pending = new ArrayList<>(plans.size());
        for (PeerPlan peerPlan : plans) {
            pending.add(writers.submit(() -> {
                if (peerPlan.secret() != null) {
                    secretWriter.write(peerPlan.secret(), peerPlan.peer());
                }
                return writePeerStatus(peerPlan);
            }));
        }
        List<VpnPeerStatus> statuses = new ArrayList<>(plans.size());
        RuntimeException failure = null;
        for (Future<VpnPeerStatus> future : pending) {
            try {
                statuses.add(future.get());
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.forEach(f -> f.cancel(true));
                throw new IllegalStateException("interrupted while writing peers", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return statuses;
    }

    /** Writes the operator's part of a peer's status when it differs, and records Valid transitions as Events. */
    private VpnPeerStatus writePeerStatus(PeerPlan peerPlan) {
        VpnPeer peer = peerPlan.peer();
        Optional<Condition> validBefore = Conditions.find(peer.getStatus() == null ? null : peer.getStatus().getConditions(),
                ConditionTypes.VALID);
        Optional<Condition> renderedBefore = Conditions.find(peer.getStatus() == null ? null : peer.getStatus().getConditions(),
                ConditionTypes.CONFIG_RENDERED);
        Optional<VpnPeer> written = StatusUpdates.update(client, peer, VpnPeer.class, status -> peerPlan.applyTo(status, clock));
        if (written.isEmpty()) {
            return peer.getStatus() == null ? peerPlan.applyTo(new VpnPeerStatus(), clock) : peer.getStatus();
        }
        metrics.apiWrite("vpnpeer", "update-status");
        peerSource.handleRecentResourceUpdate(ResourceID.fromResource(peer), written.get(), peer);
        events.record(peer, ConditionTransitions.validity(validBefore,
                Conditions.find(written.get().getStatus().getConditions(), ConditionTypes.VALID)));
        events.record(peer, ConditionTransitions.keysRegenerated(renderedBefore,
                Conditions.find(written.get().getStatus().getConditions(), ConditionTypes.CONFIG_RENDERED)));
        return written.get().getStatus();
    }

    private Optional<SecretLookup.SecretState> findSecret(String namespace, String name) {
        return secretSource.get(new ResourceID(name, namespace)).map(s -> new SecretLookup.SecretState(
                s.getData(), s.getMetadata().getAnnotations(), s.getMetadata().getLabels()));
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "peer-writer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops the writer threads once JOSDK has stopped reconciling. */
    void close() {
        writers.shutdown();
    }

    @Override
    public ErrorStatusUpdateControl<VpnInstance> updateErrorStatus(VpnInstance instance, Context<VpnInstance> context, Exception e) {
        // internal faults (API errors, conflicts) are retried with backoff by JOSDK; nothing is half-decided
        LOG.warn("reconcile of VpnInstance {}/{} failed, will retry: {}", instance.getMetadata().getNamespace(),
                instance.getMetadata().getName(), SafeText.message(e.toString()));
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

}
