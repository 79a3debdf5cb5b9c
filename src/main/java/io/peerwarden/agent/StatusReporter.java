package io.peerwarden.agent;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.node.InterfacePlan;
import io.peerwarden.core.node.PeerDisposition;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.ToolText;
import io.peerwarden.kube.EventRecorder;
import io.peerwarden.kube.StatusUpdates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes the agent's part of the statuses (peers' Applied, Connected and counters; the instance's Applied, interface
 * and port) and the Warning Events of new failures. A peer's status is written only when its verdict differs from what
 * was last written ({@link StatusMemory}); counters at most once per counter interval, and only from a pass that read them.
 */
final class StatusReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

    private final KubernetesClient client;
    private final AgentConfig config;
    private final Clock clock;
    private final EventRecorder events;
    private final ExecutorService writers;
    private final StatusMemory statusMemory;
    private final Map<String, Instant> lastCounterRefresh = new HashMap<>();
    /** Instance key → public keys whose counters restarted since the counters were last written. */
    private final Map<String, Set<String>> pendingResets = new HashMap<>();

    StatusReporter(KubernetesClient client, AgentConfig config, Clock clock, StatusMemory statusMemory) {
        this.client = client;
        this.config = config;
        this.clock = clock;
        this.statusMemory = statusMemory;
        this.events = new EventRecorder(client, clock, "peerwarden-agent", () -> { });
        this.writers = Executors.newFixedThreadPool(config.statusWriters(), r -> {
            Thread t = new Thread(r, "agent-status");
            t.setDaemon(true);
            return t;
        });
    }

    EventRecorder events() {
        return events;
    }

    /** The public keys of the instance whose counters restarted and are not written yet (null: none recorded). */
    Set<String> pendingResets(String instanceKey) {
        return pendingResets.get(instanceKey);
    }

    void countersReset(String instanceKey, Set<String> keys) {
        pendingResets.computeIfAbsent(instanceKey, k -> new HashSet<>()).addAll(keys);
    }

    /**
     * Writes the agent's part of the peers' statuses, only for peers whose observation differs from what was last
     * written; counters at most once per counter interval, and only from a pass that read them.
     */
    void peers(String key, List<VpnPeer> instancePeers, InterfacePlan plan, ApplyResult result, boolean readCounters) {
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
            PeerObservation seen = PeerVerdicts.observe(peerPlan, plan, result, resets);
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
    void passFailed(VpnInstance instance, RuntimeException e) {
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

    /** The instance's Applied condition, interface and port after its full pass. */
    void instance(VpnInstance instance, InterfacePlan plan, ApplyResult result) {
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

    /** Stops the status writers (after the last pass). */
    @Override
    public void close() {
        writers.shutdown();
    }
}
