package io.peerwarden.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.PeerConditions;
import io.peerwarden.core.text.SafeText;
import io.peerwarden.kube.ApiErrors;
import io.peerwarden.kube.StatusUpdates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Looks after the peers no instance reconcile can reach: those whose {@code instanceRef} names a VpnInstance that does
 * not exist. They get {@code Valid=False, InstanceNotFound}; their keys, Secret and recorded address are left alone, so
 * creating the instance later (or fixing the reference) brings them back unchanged.
 *
 * <p>Not a controller of its own: a VpnPeer controller would keep a second full copy of every peer and one JOSDK timer
 * per peer. The instance controller's peer informer hands each peer event here ({@link #check}) and so does the delete
 * of an instance for its peers; a check runs shortly after (so the instance caches can catch up with an instance and
 * its peers applied together), on one thread, once per peer however many events came meanwhile.
 */
final class OrphanPeers {

    /** The controller name its checks are counted under in {@code peerwarden_reconciles_total}. */
    public static final String NAME = "vpnpeer-orphans";
    private static final Logger LOG = LoggerFactory.getLogger(OrphanPeers.class);
    private static final long DELAY_MILLIS = 200;
    private static final long MAX_BACKOFF_MILLIS = 60_000;

    private final KubernetesClient client;
    private final Clock clock;
    private final OperatorMetrics metrics;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "orphan-peers");
        thread.setDaemon(true);
        return thread;
    });
    /** peers with a check scheduled, and the backoff of their next retry */
    private final Map<ResourceID, Long> scheduled = new ConcurrentHashMap<>();
    private volatile Function<ResourceID, Optional<VpnPeer>> peers = id -> Optional.empty();
    private volatile Predicate<ResourceID> instanceCached = id -> false;
    private volatile java.util.function.BooleanSupplier synced = () -> false;

    OrphanPeers(KubernetesClient client, Clock clock, OperatorMetrics metrics) {
        this.client = client;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * The caches checks read: the peer informer, whether an instance is in the instance caches, and whether those have
     * listed every instance (until then a check waits: at a start, every peer's event comes before the instances are
     * known, and none of them is worth a GET).
     */
    void caches(Function<ResourceID, Optional<VpnPeer>> peers, Predicate<ResourceID> instanceCached,
                java.util.function.BooleanSupplier synced) {
        this.peers = peers;
        this.instanceCached = instanceCached;
        this.synced = synced;
    }

    /** A peer event: when the peer names no instance the caches know, its status is checked shortly. O(1). */
    void check(VpnPeer peer) {
        ResourceID instance = PeerToInstanceMapper.instanceOf(peer);
        if (instance != null && instanceCached.test(instance)) {
            return;
        }
        schedule(ResourceID.fromResource(peer), DELAY_MILLIS);
    }

    /** The peer's instance is gone (its delete is being reconciled): check it whatever the caches say. */
    void instanceGone(VpnPeer peer) {
        schedule(ResourceID.fromResource(peer), DELAY_MILLIS);
    }

    private void schedule(ResourceID peer, long delayMillis) {
        if (scheduled.putIfAbsent(peer, delayMillis) == null) {
            try {
                checks.schedule(() -> run(peer), delayMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                scheduled.remove(peer);
            }
        }
    }

    private void run(ResourceID id) {
        long backoff = scheduled.remove(id);
        if (!synced.getAsBoolean()) {
            schedule(id, 1000);
            return;
        }
        long started = System.nanoTime();
        try {
            Optional<VpnPeer> cached = peers.apply(id);
            if (cached.isEmpty() || cached.get().getMetadata().getDeletionTimestamp() != null) {
                return;
            }
            VpnPeer peer = cached.get();
            ResourceID instance = PeerToInstanceMapper.instanceOf(peer);
            String instanceName = instance == null ? null : instance.getName();
            String namespace = instance == null ? peer.getMetadata().getNamespace() : instance.getNamespace().orElseThrow();
            // the caches may lag (an instance and its peers applied together): ask the API server before declaring the
            // instance missing, so Valid never flaps. Rare path: only peers whose instance the caches do not know.
            if (instance != null && (instanceCached.test(instance) || instanceExists(namespace, instanceName))) {
                return;
            }
            Long generation = peer.getMetadata().getGeneration();
            StatusUpdates.update(client, peer, VpnPeer.class, status -> {
                status.setObservedGeneration(generation);
                status.setConditions(PeerConditions.orphaned(status.getConditions(), instanceName, namespace, generation, clock));
                return status;
            }).ifPresent(written -> metrics.apiWrite("vpnpeer", "update-status"));
            metrics.reconciled(NAME, true, Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            if (e instanceof KubernetesClientException k && ApiErrors.namespaceTerminating(k)) {
                return;
            }
            metrics.reconciled(NAME, false, Duration.ofNanos(System.nanoTime() - started));
            long next = Math.min(MAX_BACKOFF_MILLIS, Math.max(500, backoff * 2));
            LOG.warn("status of orphaned VpnPeer {}/{} not written, will retry in {} ms: {}", id.getNamespace().orElse(""),
                    id.getName(), next, SafeText.message(e.toString()));
            schedule(id, next);
        }
    }

    /**
     * Whether the instance exists, asked of the API server. An instance in a namespace the operator
     * may not read (namespaced RBAC, a namespace it does not watch) is one it cannot serve: missing.
     */
    private boolean instanceExists(String namespace, String name) {
        try {
            return client.resources(VpnInstance.class).inNamespace(namespace).withName(name).get() != null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return false;
            }
            throw e;
        }
    }

    void close() {
        checks.shutdownNow();
    }
}
