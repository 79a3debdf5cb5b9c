package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.plan.PeerPlan;
import io.peerwarden.core.plan.Seniority;
import io.peerwarden.core.status.ConditionTransitions;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.kube.EventRecorder;
import io.peerwarden.kube.StatusUpdates;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Writes what a plan decided for its peers on a bounded pool: each peer's config Secret as soon as the planner hands
 * its plan over ({@link Rollout#accept}, while other peers are still being planned: a first rollout of thousands of
 * peers starts writing at once), then, once the caller has published the node's keys, each peer's status after its
 * Secret (the agent reads a peer's keys once it sees the peer rendered). Writes of different peers are independent;
 * a failed write fails the reconcile after the others finished, and the retry redoes only what is still different.
 */
final class PeerWrites {

    private final KubernetesClient client;
    private final Clock clock;
    private final OperatorMetrics metrics;
    private final EventRecorder events;
    private final ExecutorService writers;
    private volatile SecretWriter secrets;
    private volatile InformerEventSource<VpnPeer, VpnInstance> peers;
    private volatile OwnWrites own = new OwnWrites();

    PeerWrites(KubernetesClient client, Clock clock, OperatorMetrics metrics, EventRecorder events, int concurrency) {
        this.client = client;
        this.clock = clock;
        this.metrics = metrics;
        this.events = events;
        this.writers = Executors.newFixedThreadPool(concurrency, daemonThreads());
    }

    /**
     * The caches written copies are handed to (set when the event sources are), and where each write is announced, so
     * that its echo marks nothing ({@link OwnWrites}).
     */
    void caches(SecretWriter secrets, InformerEventSource<VpnPeer, VpnInstance> peers, OwnWrites own) {
        this.secrets = secrets;
        this.peers = peers;
        this.own = own;
    }

    /**
     * The writes of one plan.
     *
     * @param stream write each Secret as soon as it is planned; false: only once {@link Rollout#statuses} is called (after
     *               the instance key and node keys are written), as a retry after a failure does, so that a faulty API
     *               server does not see Secrets written by reconciles that fail before they get that far
     */
    Rollout rollout(boolean stream) {
        return new Rollout(stream);
    }

    final class Rollout implements Consumer<PeerPlan> {

        private final Map<String, Streamed> secretWrites = new ConcurrentHashMap<>();
        private final boolean stream;

        private Rollout(boolean stream) {
            this.stream = stream;
        }

        private record Streamed(PeerPlan plan, CompletableFuture<Void> write) {
        }

        /** Starts writing the peer's config Secret (from any thread). */
        @Override
        public void accept(PeerPlan plan) {
            if (stream && plan.secret() != null) {
                secretWrites.put(Seniority.key(plan.peer()), new Streamed(plan,
                        CompletableFuture.runAsync(() -> writeSecret(plan), writers)));
            }
        }

        /** Waits for the Secret writes started so far (a plan that is thrown away); their failures are ignored. */
        void awaitSecrets() {
            secretWrites.values().forEach(s -> s.write().handle((v, e) -> null).join());
            secretWrites.clear();
        }

        /**
         * Writes each plan's status after its Secret (written here when it was not streamed) and returns the statuses as
         * written (or as they stand, when nothing changed), by peer key; throws the first failure after all finished.
         */
        Map<String, VpnPeerStatus> statuses(List<PeerPlan> plans) {
            Map<String, CompletableFuture<VpnPeerStatus>> pending = new LinkedHashMap<>();
            for (PeerPlan plan : plans) {
                String key = Seniority.key(plan.peer());
                Streamed streamed = secretWrites.get(key);
                CompletableFuture<Void> secret = streamed != null && streamed.plan() == plan ? streamed.write()
                        : plan.secret() == null ? CompletableFuture.completedFuture(null)
                        : CompletableFuture.runAsync(() -> writeSecret(plan), writers);
                pending.put(key, secret.thenApplyAsync(v -> writeStatus(plan), writers));
            }
            Map<String, VpnPeerStatus> statuses = new LinkedHashMap<>();
            RuntimeException failure = null;
            for (Map.Entry<String, CompletableFuture<VpnPeerStatus>> entry : pending.entrySet()) {
                try {
                    statuses.put(entry.getKey(), entry.getValue().get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
                    RuntimeException runtime = cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
                    if (failure == null) {
                        failure = runtime;
                    } else if (failure != runtime) {
                        failure.addSuppressed(runtime);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    pending.values().forEach(f -> f.cancel(true));
                    throw new IllegalStateException("interrupted while writing peers", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return statuses;
        }
    }

    /** Writes the peer's config Secret when it differs, announced to {@link OwnWrites} for the time it is in flight. */
    private void writeSecret(PeerPlan plan) {
        String key = OwnWrites.key("Secret", plan.secret().namespace(), plan.secret().name());
        String version = null;
        own.started(key);
        try {
            version = secrets.written(plan.secret(), plan.peer());
        } finally {
            own.finished(key, version);
        }
    }

    /** Writes the operator's part of a peer's status when it differs, and records Valid transitions as Events. */
    private VpnPeerStatus writeStatus(PeerPlan peerPlan) {
        String key = OwnWrites.key(peerPlan.peer());
        String[] version = {null};
        own.started(key);
        try {
            return writeStatus(peerPlan, v -> version[0] = v);
        } finally {
            own.finished(key, version[0]);
        }
    }

    /** @param writtenVersion told the resourceVersion written, when something was */
    private VpnPeerStatus writeStatus(PeerPlan peerPlan, Consumer<String> writtenVersion) {
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
        writtenVersion.accept(written.get().getMetadata().getResourceVersion());
        peers.handleRecentResourceUpdate(ResourceID.fromResource(peer), written.get(), peer);
        events.record(peer, ConditionTransitions.validity(validBefore,
                Conditions.find(written.get().getStatus().getConditions(), ConditionTypes.VALID)));
        events.record(peer, ConditionTransitions.keysRegenerated(renderedBefore,
                Conditions.find(written.get().getStatus().getConditions(), ConditionTypes.CONFIG_RENDERED)));
        return written.get().getStatus();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "peer-writer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    void close() {
        writers.shutdown();
    }
}
