package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
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
import io.peerwarden.core.plan.AllocationLedger;
import io.peerwarden.core.plan.SecretLookup;
import io.peerwarden.core.plan.Seniority;
import io.peerwarden.core.status.Conditions;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.peerwarden.operator.VpnInstanceReconciler.INSTANCES_BY_NODE;
import static io.peerwarden.operator.VpnInstanceReconciler.PEERS_BY_INSTANCE;
import static io.peerwarden.operator.VpnInstanceReconciler.key;

/**
 * The caches and events of the instance controller: its peers (indexed by instance), the operator's own Secrets, nodes,
 * namespaces and the neighbour instances of a node. Each event JOSDK hands on marks what it changed in {@link DirtyPeers}
 * (a peer, or every peer of the instances it concerns); peer events also feed the orphan checks ({@link OrphanPeers}) and
 * forget deleted peers.
 */
final class InstanceEventSources {

    private final DirtyPeers dirty;
    private final PeerToInstanceMapper peerMapper;
    private final AllocationLedger ledger;
    private final OrphanPeers orphans;
    volatile InformerEventSource<VpnPeer, VpnInstance> peers;
    InformerEventSource<Secret, VpnInstance> secrets;
    InformerEventSource<Node, VpnInstance> nodes;
    InformerEventSource<Namespace, VpnInstance> namespaces;
    InformerEventSource<VpnInstance, VpnInstance> neighbours;
    /** JOSDK's cache of the instances, for the admission webhook's questions (set with the event sources) */
    volatile IndexerResourceCache<VpnInstance> instanceCache;
    private IndexerResourceCache<VpnInstance> instances;

    InstanceEventSources(DirtyPeers dirty, PeerToInstanceMapper peerMapper, AllocationLedger ledger, OrphanPeers orphans) {
        this.dirty = dirty;
        this.peerMapper = peerMapper;
        this.ledger = ledger;
        this.orphans = orphans;
    }

    /** The event sources of the instance controller, but for the node keys' ({@link NodeKeyPublisher}). */
    List<EventSource<?, VpnInstance>> prepare(EventSourceContext<VpnInstance> context) {
        IndexerResourceCache<VpnInstance> instances = context.getPrimaryCache();
        instanceCache = instances;
        this.instances = instances;
        instances.addIndexers(Map.of(INSTANCES_BY_NODE,
                instance -> instance.scheduledNode() == null ? List.of() : List.of(instance.scheduledNode())));

        // from the by-node index: this runs on every peer event, so no scan over all instances
        peerMapper.sameNodeInstances(id -> instances.get(id).map(VpnInstance::scheduledNode)
                .map(node -> instances.byIndex(INSTANCES_BY_NODE, node).stream().map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .orElse(Set.of()));
        // these caches follow the controller's namespaces: one informer each, unless several namespaces are watched
        boolean lean = LeanItemStore.oneInformer(context.getControllerConfiguration().getInformerConfig().getNamespaces());
        peers = new InformerEventSource<>(DirtyPeers.marking(
                InformerEventSourceConfiguration.from(VpnPeer.class, VpnInstance.class), new PeerChangeFilter(), this::peerChanged,
                        dirty.ownWrites())
                .withName("peers")
                .withItemStore(lean ? LeanItemStore.of(VpnPeer.class) : null)
                .withSecondaryToPrimaryMapper(this::peerEvent)
                .build(), context);
        peers.addIndexers(Map.of(
                // the instance's namespace/name, whichever namespace the peer is in
                PEERS_BY_INSTANCE, peer -> {
                    String instance = PeerToInstanceMapper.instanceKeyOf(peer);
                    return instance == null ? List.of() : List.of(instance);
                }));

        // only the operator's own Secrets (by label) of the watched namespaces; a Secret a user
        // references is read by a GET when a reconcile needs it (ReferencedSecrets)
        secrets = new InformerEventSource<>(DirtyPeers.marking(
                InformerEventSourceConfiguration.from(Secret.class, VpnInstance.class), null, (secret, old) -> secretChanged(secret),
                        dirty.ownWrites())
                .withName("secrets")
                .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE)
                // cached without the QR code PNGs (SecretWriter decides from wg0.conf; a PNG is drawn when written)
                .withItemStore(lean ? LeanItemStore.secrets() : null)
                .withSecondaryToPrimaryMapper(InstanceEventSources::instanceOf)
                .build(), context);

        Function<Node, Set<ResourceID>> instancesOfNode = node -> instances.list()
                .filter(i -> i.getSpec() != null && (node.getMetadata().getName().equals(i.getSpec().getNodeName())
                        || i.getSpec().getNodeSelector() != null))
                .map(ResourceID::fromResource).collect(Collectors.toSet());
        nodes = new InformerEventSource<>(DirtyPeers.marking(InformerEventSourceConfiguration.from(Node.class, VpnInstance.class),
                        // node status heartbeats would otherwise wake every instance every few seconds
                        (newNode, oldNode) -> !Objects.equals(newNode.getMetadata().getLabels(), oldNode.getMetadata().getLabels()),
                        (node, old) -> everything(instancesOfNode.apply(node)))
                .withName("nodes")
                .withItemStore(LeanItemStore.nodes())
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(instancesOfNode::apply)
                .build(), context);
        // namespace labels decide which peers an instance with spec.peerNamespaces.from: Selector admits
        Function<Namespace, Set<ResourceID>> selecting =
                namespace -> selectingInstancesWithPeersIn(namespace.getMetadata().getName(), instances);
        namespaces = new InformerEventSource<>(DirtyPeers.marking(
                        InformerEventSourceConfiguration.from(Namespace.class, VpnInstance.class),
                        (newNs, oldNs) -> !Objects.equals(newNs.getMetadata().getLabels(), oldNs.getMetadata().getLabels()),
                        (namespace, old) -> everything(selecting.apply(namespace)))
                .withName("namespaces")
                .withItemStore(LeanItemStore.of(Namespace.class))
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(selecting::apply)
                .build(), context);
        // interface names and ports are unique per node: when an instance comes, changes what it holds or goes, the
        // other instances of its node decide again (a refused one recovers when its holder goes)
        Function<VpnInstance, Set<ResourceID>> sameNode = changed -> changed.scheduledNode() == null ? Set.of()
                : instances.byIndex(INSTANCES_BY_NODE, changed.scheduledNode()).stream()
                .filter(i -> !Seniority.key(i).equals(Seniority.key(changed)))
                .map(ResourceID::fromResource).collect(Collectors.toSet());
        neighbours = new InformerEventSource<>(DirtyPeers.marking(
                        InformerEventSourceConfiguration.from(VpnInstance.class, VpnInstance.class),
                        (newInstance, oldInstance) -> !Objects.equals(holds(newInstance), holds(oldInstance)),
                        (changed, old) -> everything(sameNode.apply(changed)))
                .withName("sameNodeInstances")
                .withItemStore(lean ? LeanItemStore.of(VpnInstance.class) : null)
                .withSecondaryToPrimaryMapper(sameNode::apply)
                .build(), context);
        return List.of(peers, secrets, nodes, namespaces, neighbours);
    }

    /**
     * A peer event JOSDK hands on: the peer is marked changed for its instance and the one it left (a moved peer frees
     * its address there); a site's subnets take part in the collision checks of the instances sharing its node, which
     * plan every peer again. O(1) but for a site's neighbours.
     */
    private void peerChanged(VpnPeer peer, VpnPeer old) {
        String key = Seniority.key(peer);
        ResourceID current = PeerToInstanceMapper.instanceOf(peer);
        ResourceID previous = old == null ? null : PeerToInstanceMapper.instanceOf(old);
        if (current != null) {
            dirty.peer(current, key);
            if (!peer.getSpec().siteSubnets().isEmpty()) {
                peerMapper.sameNodeAs(current).stream().filter(id -> !id.equals(current)).forEach(dirty::everything);
            }
        }
        if (previous != null && !previous.equals(current)) {
            dirty.peer(previous, key);
        }
    }

    /**
     * Any peer event, also the ones JOSDK drops (it indexes them all through this mapper): the instances it concerns; the
     * peer's orphan check; and, for a peer that is gone, what this process remembered of it.
     */
    private Set<ResourceID> peerEvent(VpnPeer peer) {
        Set<ResourceID> ids = peerMapper.toPrimaryResourceIDs(peer);
        String uid = peer.getMetadata().getUid();
        if (uid != null && peers.get(ResourceID.fromResource(peer)).isEmpty()) {
            // deleted (gone from the cache before the event is handed on): its address is free again
            ledger.forget(uid);
            peerMapper.forget(uid);
        } else {
            orphans.check(peer);
        }
        return ids;
    }

    /** A Secret event JOSDK hands on: a peer's config Secret marks that peer; any other Secret of an instance marks everything. */
    private void secretChanged(Secret secret) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        String peerName = labels == null || !Labels.COMPONENT_PEER_CONFIG.equals(labels.get(Labels.COMPONENT))
                ? null : labels.get(Labels.PEER);
        Optional<VpnPeer> peer = peerName == null || !Labels.peerConfigSecretName(peerName).equals(secret.getMetadata().getName())
                ? Optional.empty() : peers.get(new ResourceID(peerName, secret.getMetadata().getNamespace()));
        for (ResourceID id : instanceOf(secret)) {
            if (peer.isPresent() && id.equals(PeerToInstanceMapper.instanceOf(peer.get()))) {
                dirty.peer(id, Seniority.key(peer.get()));
            } else {
                dirty.everything(id);
            }
        }
    }

    /** Marks every peer of these instances changed (an event that concerns the instances, not single peers). */
    private Set<ResourceID> everything(Set<ResourceID> ids) {
        ids.forEach(dirty::everything);
        return ids;
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
        if (peers == null) {
            return result;
        }
        peers.list(namespace).forEach(peer -> {
            ResourceID id = PeerToInstanceMapper.instanceOf(peer);
            if (id != null && !namespace.equals(id.getNamespace().orElse(null))) {
                instances.get(id).filter(i -> i.getSpec() != null && i.getSpec().getPeerNamespaces() != null
                        && PeerNamespaces.SELECTOR.equals(i.getSpec().getPeerNamespaces().getFrom())).ifPresent(i -> result.add(id));
            }
        });
        return result;
    }

    Optional<Map<String, String>> namespaceLabels(String namespace) {
        return namespaces.get(new ResourceID(namespace)).map(n -> n.getMetadata().getLabels() == null
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

    /** Whether the neighbour informer (every instance of the watched namespaces) has listed them all. */
    boolean instancesSynced() {
        return neighbours != null && neighbours.informerHealthIndicators().values().stream()
                .allMatch(io.javaoperatorsdk.operator.health.InformerHealthIndicator::hasSynced);
    }

    /** Whether the instance caches know the instance (the neighbour informer may see it before the primary cache). */
    boolean instanceKnown(ResourceID id) {
        return instances.get(id).isPresent() || neighbours.get(id).isPresent();
    }

    Optional<SecretLookup.SecretState> findSecret(String namespace, String name) {
        return secrets.get(new ResourceID(name, namespace)).map(s -> new SecretLookup.SecretState(
                s.getData(), s.getMetadata().getAnnotations(), s.getMetadata().getLabels()));
    }

}
