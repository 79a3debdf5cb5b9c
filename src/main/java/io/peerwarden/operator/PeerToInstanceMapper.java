package io.peerwarden.operator;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.peerwarden.api.v1alpha1.VpnPeer;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Maps a peer event to the instance(s) whose plan it changes. JOSDK hands the mapper only the new
 * object, so a peer that moved from instance A to B would leave A holding its address; the mapper
 * remembers each peer's last instance and triggers both. (The CRD also makes instanceRef
 * immutable; this covers API servers that do not enforce CEL.)
 */
final class PeerToInstanceMapper implements SecondaryToPrimaryMapper<VpnPeer> {

    private final Map<String, ResourceID> lastInstanceByPeerUid = new ConcurrentHashMap<>();
    /** Instances on the same node as the given one: a site's subnets take part in their collision checks too. */
    private volatile Function<ResourceID, Set<ResourceID>> sameNode = id -> Set.of();

    void sameNodeInstances(Function<ResourceID, Set<ResourceID>> sameNode) {
        this.sameNode = sameNode;
    }

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(VpnPeer peer) {
        Set<ResourceID> result = new HashSet<>();
        ResourceID current = instanceOf(peer);
        if (current != null) {
            result.add(current);
            if (!peer.getSpec().siteSubnets().isEmpty()) {
                result.addAll(sameNode.apply(current));
            }
        }
        String uid = peer.getMetadata().getUid();
        if (uid != null) {
            ResourceID previous = current == null ? lastInstanceByPeerUid.remove(uid) : lastInstanceByPeerUid.put(uid, current);
            if (previous != null && !previous.equals(current)) {
                result.add(previous);
            }
        }
        return result;
    }

    /** Forgets a peer that no longer exists, so the memory does not grow with churn. */
    void forget(String peerUid) {
        lastInstanceByPeerUid.remove(peerUid);
    }

    /** The instances on the same node as the given one (itself included when it is placed). */
    Set<ResourceID> sameNodeAs(ResourceID instance) {
        return sameNode.apply(instance);
    }

    /**
     * The instance the peer names: {@code spec.instanceRef.name} in {@code spec.instanceRef.namespace},
     * or in the peer's own namespace when that is not set; null when it names none.
     */
    static ResourceID instanceOf(VpnPeer peer) {
        if (peer.getSpec() == null || peer.getSpec().getInstanceRef() == null) {
            return null;
        }
        String name = peer.getSpec().getInstanceRef().getName();
        return name == null || name.isBlank() ? null
                : new ResourceID(name, peer.getSpec().getInstanceRef().namespaceOr(peer.getMetadata().getNamespace()));
    }

    /** The index key of the instance the peer names (namespace/name), or null. */
    static String instanceKeyOf(VpnPeer peer) {
        ResourceID id = instanceOf(peer);
        return id == null ? null : VpnInstanceReconciler.key(id.getNamespace().orElseThrow(), id.getName());
    }
}
