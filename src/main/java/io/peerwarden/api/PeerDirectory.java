package io.peerwarden.api;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.seedapi.WgDashboardPeers;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Informer caches of VpnInstances and VpnPeers, indexed so that each request is one index look-up: by
 * {@code metadata.uid} (Altostrat ids), instances by name (WGDashboard's configName) and peers by
 * (instance, public key) (WGDashboard's {@code id}). Read-only: every write goes to the API server as the caller.
 */
public final class PeerDirectory implements AutoCloseable {

    private static final String BY_UID = "uid";
    private static final String BY_NAME = "name";
    private static final String BY_INSTANCE_KEY = "instanceKey";

    private final SharedIndexInformer<VpnInstance> instances;
    private final SharedIndexInformer<VpnPeer> peers;

    public PeerDirectory(KubernetesClient client) {
        instances = client.resources(VpnInstance.class).inAnyNamespace().runnableInformer(0);
        instances.addIndexers(Map.of(
                BY_UID, i -> List.of(i.getMetadata().getUid()),
                BY_NAME, i -> List.of(i.getMetadata().getName())));
        peers = client.resources(VpnPeer.class).inAnyNamespace().runnableInformer(0);
        peers.addIndexers(Map.of(
                BY_UID, p -> List.of(p.getMetadata().getUid()),
                BY_INSTANCE_KEY, p -> WgDashboardPeers.publicKeyOf(p).map(k -> List.of(instanceKey(instanceOf(p), k))).orElse(List.of())));
    }

    /** Starts both informers and waits until their first list is in. */
    public void start(Duration timeout) {
        try {
            instances.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            peers.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing VpnInstances and VpnPeers", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list and watch VpnInstances and VpnPeers: " + e.getClass().getSimpleName(), e);
        }
    }

    public boolean synced() {
        return instances.hasSynced() && peers.hasSynced();
    }

    public Optional<VpnInstance> instanceByUid(String uid) {
        return instances.getIndexer().byIndex(BY_UID, uid).stream().findFirst();
    }

    public List<VpnInstance> instancesNamed(String name) {
        return instances.getIndexer().byIndex(BY_NAME, name);
    }

    public Optional<VpnPeer> peerByUid(String uid) {
        return peers.getIndexer().byIndex(BY_UID, uid).stream().findFirst();
    }

    public Optional<VpnPeer> peerByPublicKey(VpnInstance instance, String publicKey) {
        String key = instanceKey(instance.getMetadata().getNamespace() + "/" + instance.getMetadata().getName(), publicKey);
        return peers.getIndexer().byIndex(BY_INSTANCE_KEY, key).stream().findFirst();
    }

    /** The peer as the cache has it now (namespace/name), for waiting on the operator's conditions. */
    public Optional<VpnPeer> peer(String namespace, String name) {
        return Optional.ofNullable(peers.getIndexer().getByKey(namespace + "/" + name));
    }

    /** {@code namespace/name} of the instance a peer refers to. */
    public static String instanceOf(VpnPeer peer) {
        String namespace = peer.getSpec() != null && peer.getSpec().getInstanceRef() != null
                && peer.getSpec().getInstanceRef().getNamespace() != null
                ? peer.getSpec().getInstanceRef().getNamespace() : peer.getMetadata().getNamespace();
        String name = peer.getSpec() == null || peer.getSpec().getInstanceRef() == null ? "" : peer.getSpec().getInstanceRef().getName();
        return namespace + "/" + name;
    }

    public static boolean belongsTo(VpnPeer peer, VpnInstance instance) {
        return instanceOf(peer).equals(instance.getMetadata().getNamespace() + "/" + instance.getMetadata().getName());
    }

    private static String instanceKey(String instance, String publicKey) {
        return instance + "/" + publicKey;
    }

    @Override
    public void close() {
        peers.close();
        instances.close();
    }
}
