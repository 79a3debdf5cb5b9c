package io.peerwarden.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's Prometheus metrics, served at {@code /metrics}: per peer (labels namespace, instance, peer: names only,
 * never keys; a peer's series go when it leaves the node) cumulative received/sent bytes as status counts them,
 * seconds since the latest handshake, connected; per instance the peers on the interface, connected ones and apply
 * errors; for the node the agent's nftables changes. Names are listed in {@link #NAMES} (docs/metrics.md).
 */
public final class AgentMetrics {

    public static final String PEER_RECEIVED = "peerwarden_peer_received_bytes_total";
    public static final String PEER_SENT = "peerwarden_peer_sent_bytes_total";
    public static final String PEER_HANDSHAKE_AGE = "peerwarden_peer_latest_handshake_age_seconds";
    public static final String PEER_HANDSHAKE_TIME = "peerwarden_peer_latest_handshake_timestamp_seconds";
    public static final String PEER_CONNECTED = "peerwarden_peer_connected";
    public static final String INSTANCE_PEERS = "peerwarden_instance_peers";
    public static final String INSTANCE_CONNECTED = "peerwarden_instance_connected_peers";
    public static final String INSTANCE_APPLY_ERRORS = "peerwarden_instance_apply_errors_total";
    public static final String FIREWALL_CHANGES = "peerwarden_agent_firewall_changes_total";
    public static final List<String> NAMES = List.of(PEER_RECEIVED, PEER_SENT, PEER_HANDSHAKE_AGE, PEER_HANDSHAKE_TIME,
            PEER_CONNECTED, INSTANCE_PEERS, INSTANCE_CONNECTED, INSTANCE_APPLY_ERRORS, FIREWALL_CHANGES);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock;
    private final Map<String, Sample> peers = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> peerMeters = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> peersOfInstance = new HashMap<>();
    private final Map<String, InstanceSample> instances = new ConcurrentHashMap<>();
    private final Counter firewallChanges;

    /**
     * One peer's reading.
     *
     * @param latestHandshake seconds since the epoch, 0 when never
     */
    public record PeerReading(String peer, long receivedBytes, long sentBytes, long latestHandshake, boolean connected) {
    }

    private static final class Sample {
        volatile PeerReading reading;
    }

    private static final class InstanceSample {
        volatile int peers;
        volatile int connected;
        Counter errors;
    }

    public AgentMetrics(Clock clock) {
        this.clock = clock;
        firewallChanges = Counter.builder("peerwarden.agent.firewall.changes")
                .description("Rules and chains the agent added to or removed from its nftables table").register(registry);
    }

    /** One instance's pass: its peers on the interface (others' series are removed; null: only count errors) and the errors of the pass. */
    public synchronized void instance(String namespace, String instance, List<PeerReading> readings, int applyErrors) {
        String instanceKey = namespace + "/" + instance;
        InstanceSample is = instances.computeIfAbsent(instanceKey, k -> registerInstance(namespace, instance));
        if (applyErrors > 0) {
            is.errors.increment(applyErrors);
        }
        if (readings == null) {
            return;
        }
        is.peers = readings.size();
        is.connected = (int) readings.stream().filter(PeerReading::connected).count();
        Set<String> now = new HashSet<>();
        for (PeerReading reading : readings) {
            String key = instanceKey + "/" + reading.peer();
            now.add(key);
            peers.computeIfAbsent(key, k -> registerPeer(k, namespace, instance, reading.peer())).reading = reading;
        }
        Set<String> before = peersOfInstance.getOrDefault(instanceKey, Set.of());
        for (String gone : before) {
            if (!now.contains(gone)) {
                removePeer(gone);
            }
        }
        peersOfInstance.put(instanceKey, now);
    }

    /** The instance is no longer on this node: all its series go. */
    public synchronized void instanceGone(String namespace, String instance) {
        String instanceKey = namespace + "/" + instance;
        peersOfInstance.getOrDefault(instanceKey, Set.of()).forEach(this::removePeer);
        peersOfInstance.remove(instanceKey);
        InstanceSample is = instances.remove(instanceKey);
        if (is != null) {
            Tags tags = Tags.of("namespace", namespace, "instance", instance);
            registry.find("peerwarden.instance.peers").tags(tags).meters().forEach(registry::remove);
            registry.find("peerwarden.instance.connected.peers").tags(tags).meters().forEach(registry::remove);
            registry.remove(is.errors);
        }
    }

    /** Instance keys (namespace/name) with series. */
    public synchronized Set<String> instanceKeys() {
        return Set.copyOf(instances.keySet());
    }

    public void firewallChanges(int changes) {
        if (changes > 0) {
            firewallChanges.increment(changes);
        }
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    private InstanceSample registerInstance(String namespace, String instance) {
        InstanceSample is = new InstanceSample();
        Tags tags = Tags.of("namespace", namespace, "instance", instance);
        Gauge.builder("peerwarden.instance.peers", is, s -> s.peers).tags(tags).strongReference(true)
                .description("Peers of the instance on its interface").register(registry);
        Gauge.builder("peerwarden.instance.connected.peers", is, s -> s.connected).tags(tags).strongReference(true)
                .description("Peers of the instance with a handshake in the last 3 minutes").register(registry);
        is.errors = Counter.builder("peerwarden.instance.apply.errors").tags(tags)
                .description("Failed applies: the interface, a peer's wg set, or the instance's firewall rules").register(registry);
        return is;
    }

    private Sample registerPeer(String key, String namespace, String instance, String peer) {
        Sample s = new Sample();
        Tags tags = Tags.of("namespace", namespace, "instance", instance, "peer", peer);
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionCounter.builder("peerwarden.peer.received", s, x -> x.reading.receivedBytes()).baseUnit("bytes")
                .tags(tags).description("Bytes received from the peer, cumulative across interface restarts (as status.transfer)").register(registry));
        meters.add(FunctionCounter.builder("peerwarden.peer.sent", s, x -> x.reading.sentBytes()).baseUnit("bytes")
                .tags(tags).description("Bytes sent to the peer, cumulative across interface restarts (as status.transfer)").register(registry));
        meters.add(Gauge.builder("peerwarden.peer.latest.handshake.age", s, x -> x.reading.latestHandshake() == 0 ? Double.NaN
                        : Math.max(0, clock.millis() / 1000.0 - x.reading.latestHandshake())).baseUnit("seconds").strongReference(true)
                .tags(tags).description("Seconds since the latest handshake with the peer (NaN: never)").register(registry));
        meters.add(Gauge.builder("peerwarden.peer.latest.handshake.timestamp", s, x -> x.reading.latestHandshake() == 0 ? Double.NaN
                        : x.reading.latestHandshake()).baseUnit("seconds").strongReference(true)
                .tags(tags).description("Time of the latest handshake with the peer, seconds since the epoch").register(registry));
        meters.add(Gauge.builder("peerwarden.peer.connected", s, x -> x.reading.connected() ? 1 : 0).strongReference(true)
                .tags(tags).description("1 when the peer completed a handshake in the last 3 minutes, else 0").register(registry));
        peerMeters.put(key, meters);
        return s;
    }

    private void removePeer(String key) {
        peers.remove(key);
        List<Meter> meters = peerMeters.remove(key);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }
}
