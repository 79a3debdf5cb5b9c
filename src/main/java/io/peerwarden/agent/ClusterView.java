package io.peerwarden.agent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.node.NodeKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the agent sees of the cluster: informers on VpnInstances and VpnPeers (one per watched namespace, or one over
 * all) and on the keys the operator publishes for this node (Secrets in the release namespace selected by the node's
 * label: the agent reads no other Secret), with the indexes the passes look things up by.
 */
final class ClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);
    static final String BY_INSTANCE = "byInstance";
    static final String BY_ENTRY = "byEntry";
    static final String BY_UID = "byUid";

    private final WatchedInformers<VpnInstance> instances;
    private final WatchedInformers<VpnPeer> peers;
    private final WatchedInformers<Secret> nodeKeys;
    private final String releaseNamespace;

    /** Creates the informers (not started); {@code events} get every change they see. */
    ClusterView(KubernetesClient client, AgentConfig config, ChangeEvents events) {
        Set<String> namespaces = config.namespaces();
        var instanceOp = client.resources(VpnInstance.class);
        var peerOp = client.resources(VpnPeer.class);
        this.releaseNamespace = config.releaseNamespace() != null ? config.releaseNamespace()
                : client.getNamespace() != null ? client.getNamespace() : "default";
        String release = releaseNamespace;
        instances = WatchedInformers.create(namespaces,
                ns -> instanceOp.inNamespace(ns).runnableInformer(0), () -> instanceOp.inAnyNamespace().runnableInformer(0));
        peers = WatchedInformers.create(namespaces,
                ns -> peerOp.inNamespace(ns).runnableInformer(0), () -> peerOp.inAnyNamespace().runnableInformer(0));
        nodeKeys = WatchedInformers.create(Set.of(release),
                ns -> client.secrets().inNamespace(ns).withLabels(NodeKeys.selector(config.nodeName())).runnableInformer(0),
                () -> {
                    throw new IllegalStateException("node keys are read in the release namespace only");
                });
        nodeKeys.addIndexers(Map.of(BY_ENTRY, s -> s.getData() == null ? List.of() : List.copyOf(s.getData().keySet())));
        // the instance's namespace/name, whichever namespace the peer is in
        peers.addIndexers(Map.of(BY_INSTANCE, p -> instanceOf(p) == null ? List.of() : List.of(instanceOf(p)),
                BY_UID, p -> p.getMetadata().getUid() == null ? List.of() : List.of(p.getMetadata().getUid())));
        instances.retryOnFailure(LOG);
        peers.retryOnFailure(LOG);
        nodeKeys.retryOnFailure(LOG);
        instances.addEventHandler(events.onInstances());
        peers.addEventHandler(events.onPeers());
        nodeKeys.addEventHandler(events.onNodeKeys(this));
    }

    void start() {
        instances.start();
        peers.start();
        nodeKeys.start();
    }

    void stop() {
        instances.stop();
        peers.stop();
        nodeKeys.stop();
    }

    String releaseNamespace() {
        return releaseNamespace;
    }

    /** Whether every informer (every kind, every watched namespace) has its initial list. */
    boolean synced() {
        return instances.hasSynced() && peers.hasSynced() && nodeKeys.hasSynced();
    }

    List<VpnInstance> instances() {
        return instances.list();
    }

    VpnInstance instance(String namespace, String name) {
        return instances.get(namespace, name);
    }

    VpnPeer peer(String namespace, String name) {
        return peers.get(namespace, name);
    }

    /** The peers of the instance {@code namespace/name}, whichever namespace they are in. */
    List<VpnPeer> peersOf(String instanceKey) {
        return peers.byIndex(BY_INSTANCE, instanceKey);
    }

    List<VpnPeer> peersWithUid(String uid) {
        return peers.byIndex(BY_UID, uid);
    }

    /**
     * An entry of this node's published keys, decoded; a value that is not base64 comes back as text no key
     * matches, so the caller reports it invalid instead of taking it as absent.
     */
    Optional<String> publishedKey(String entry) {
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

    static String key(VpnInstance instance) {
        return instance.getMetadata().getNamespace() + "/" + instance.getMetadata().getName();
    }

    /** The instance's namespace/name, whichever namespace the peer is in; null without an instanceRef. */
    static String instanceOf(VpnPeer peer) {
        return peer.getSpec() == null || peer.getSpec().getInstanceRef() == null ? null
                : peer.getSpec().getInstanceRef().namespaceOr(peer.getMetadata().getNamespace()) + "/" + peer.getSpec().getInstanceRef().getName();
    }
}
