package io.peerwarden.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.agent.metrics.AgentMetrics;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.Transfer;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.firewall.FirewallPlans;
import io.peerwarden.core.firewall.InstanceFirewall;
import io.peerwarden.core.node.InterfacePlan;
import io.peerwarden.core.node.PeerDisposition;
import io.peerwarden.core.wg.WgPeer;
import io.peerwarden.kube.EventRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the agent's pass does beyond peers, kept out of {@link Agent}'s own flow: it collects each instance's
 * {@link InstanceFirewall} and metric readings during the pass and, at its end, converges the node's firewall
 * ({@link FirewallDriver}) and reports what failed as Warning Events (once per distinct message) and metrics.
 * Runs on the agent's loop thread.
 */
final class DataplaneExtras {

    private static final Logger LOG = LoggerFactory.getLogger(DataplaneExtras.class);

    private FirewallDriver firewall;
    private AgentMetrics metrics;
    private final Map<String, InstanceFirewall> plans = new LinkedHashMap<>();
    private final Map<String, VpnInstance> seen = new HashMap<>();
    private final Set<String> retain = new HashSet<>();
    private final Map<String, String> lastError = new HashMap<>();
    private final Map<String, Set<String>> lastNotes = new HashMap<>();

    boolean hasFirewall() {
        return firewall != null;
    }

    void firewall(FirewallDriver firewall) {
        this.firewall = firewall;
    }

    void metrics(AgentMetrics metrics) {
        this.metrics = metrics;
    }

    void instancePassed(VpnInstance instance, List<VpnPeer> peers, InterfacePlan plan, ApplyResult result, Set<String> resets, Clock clock) {
        if (firewall == null && metrics == null) {
            return;
        }
        String key = instance.getMetadata().getNamespace() + "/" + instance.getMetadata().getName();
        seen.put(key, instance);
        if (firewall != null) {
            // an interface that could not be created or configured keeps its chains as they are (no sysctl on a missing link)
            if (plan.desired() != null && result != null && result.interfaceOk()) {
                plans.put(key, FirewallPlans.of(instance, plan.interfaceName(), peers, p -> onInterface(plan, p)));
            } else {
                retain.add(plan.interfaceName());
            }
        }
        if (metrics != null) {
            List<AgentMetrics.PeerReading> readings = new ArrayList<>();
            Instant now = clock.instant();
            for (VpnPeer peer : peers) {
                PeerDisposition d = plan.peers().get(peer.getMetadata().getName());
                if (d == null || d.kind() != PeerDisposition.Kind.DESIRED || result == null || result.live() == null) {
                    continue;
                }
                WgPeer live = result.live().peers().get(d.config().publicKey());
                if (live == null) {
                    continue;
                }
                Transfer before = peer.getStatus() == null ? null : peer.getStatus().getTransfer();
                Transfer total = StatusMutations.accumulate(before, live.receiveBytes(), live.sentBytes(),
                        resets != null && resets.contains(live.publicKey()));
                boolean connected = live.latestHandshake() > 0 && Duration.between(Instant.ofEpochSecond(live.latestHandshake()), now)
                        .compareTo(StatusMutations.CONNECTED_WITHIN) < 0;
                readings.add(new AgentMetrics.PeerReading(peer.getMetadata().getName(), total.getReceiveBytes(), total.getSentBytes(),
                        live.latestHandshake(), connected));
            }
            int errors = result == null ? 0 : (result.interfaceOk() ? 0 : 1) + result.peerErrors().size();
            metrics.instance(instance.getMetadata().getNamespace(), instance.getMetadata().getName(), readings, errors);
        }
    }

    /** Peers whose traffic can arrive on the interface: those on it, and those left as they are while pending. */
    private static boolean onInterface(InterfacePlan plan, VpnPeer peer) {
        PeerDisposition d = plan.peers().get(peer.getMetadata().getName());
        if (d == null) {
            return false;
        }
        return d.kind() == PeerDisposition.Kind.DESIRED
                || (d.kind() == PeerDisposition.Kind.PENDING && peer.getStatus() != null && peer.getStatus().getPublicKey() != null);
    }

    void passEnded(KubernetesClient client, EventRecorder events, boolean complete, Set<String> wantedInterfaces,
                   Predicate<String> ownsNamespace) {
        try {
            if (firewall != null) {
                Set<String> keep = new HashSet<>(wantedInterfaces);
                plans.values().forEach(fw -> keep.remove(fw.interfaceName()));
                keep.addAll(retain);
                FirewallDriver.Outcome outcome = firewall.converge(plans, keep, complete, ownsNamespace);
                report(events, outcome);
                if (metrics != null) {
                    metrics.firewallChanges(outcome.diff().changes());
                    outcome.errors().forEach((key, error) -> {
                        VpnInstance instance = seen.get(key);
                        if (instance != null) {
                            metrics.instance(instance.getMetadata().getNamespace(), instance.getMetadata().getName(), null, 1);
                        }
                    });
                }
            }
            if (metrics != null && complete) {
                for (String key : metrics.instanceKeys()) {
                    if (!seen.containsKey(key)) {
                        int slash = key.indexOf('/');
                        metrics.instanceGone(key.substring(0, slash), key.substring(slash + 1));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("the firewall and metrics part of the pass failed; retried on the next pass", e);
        } finally {
            plans.clear();
            seen.clear();
            retain.clear();
        }
    }

    private void report(EventRecorder events, FirewallDriver.Outcome outcome) {
        for (Map.Entry<String, VpnInstance> e : seen.entrySet()) {
            String key = e.getKey();
            String error = outcome.errors().get(key);
            String before = lastError.get(key);
            if (error != null && !error.equals(before)) {
                LOG.warn("{}: {}", key, error);
                warn(events, e.getValue(), Reasons.FIREWALL_FAILED, "The agent could not apply this instance's forwarding,"
                        + " NAT or access rules: " + error + ". It retries on every pass.");
            } else if (error == null && before != null) {
                LOG.info("{}: forwarding, NAT and access rules applied", key);
            }
            if (error == null) {
                lastError.remove(key);
            } else {
                lastError.put(key, error);
            }
            Set<String> notes = new HashSet<>(outcome.notes().getOrDefault(key, List.of()));
            for (String note : notes) {
                if (!lastNotes.getOrDefault(key, Set.of()).contains(note)) {
                    LOG.warn("{}: {}", key, note);
                    warn(events, e.getValue(), Reasons.FORWARD_POLICY_DROP, "Forwarded traffic of this instance may be dropped: " + note + ".");
                }
            }
            lastNotes.put(key, notes);
        }
        lastError.keySet().retainAll(seen.keySet());
        lastNotes.keySet().retainAll(seen.keySet());
    }

    private static void warn(EventRecorder events, VpnInstance instance, String reason, String message) {
        try {
            events.warning(instance, reason, message);
        } catch (RuntimeException e) {
            LOG.debug("cannot record an Event: {}", e.getMessage());
        }
    }
}
