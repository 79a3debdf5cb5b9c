package io.peerwarden.agent;

import io.peerwarden.core.wg.LinkOwnership;

import java.time.Duration;
import java.util.Set;

/**
 * @param namespaces       the namespaces to watch; empty for all
 * @param debounce         delay of an event-triggered pass, so a burst of events gives one pass
 * @param statusWriters    threads writing peer status in parallel
 * @param releaseNamespace where the operator publishes this node's keys (its own namespace); null: the client's namespace
 * @param interfacePrefix  the start of every link name the agent may create and manage (install policy)
 * @param resyncInterval   interval of the periodic status pass (one {@code wg show dump} per interface)
 * @param driftRepairInterval interval of the full pass (dump and diff of every peer, routes, firewall) that repairs
 *                         changes made to the interfaces behind the agent's back; events are applied peer by peer
 */
public record AgentConfig(String nodeName, Set<String> namespaces, Duration resyncInterval, Duration counterInterval,
                          Duration debounce, int statusWriters, String releaseNamespace, String interfacePrefix,
                          Duration driftRepairInterval) {

    public static final Duration DEFAULT_DRIFT_REPAIR = Duration.ofMinutes(5);

    public AgentConfig(String nodeName, Set<String> namespaces, Duration resyncInterval, Duration counterInterval,
                       Duration debounce, int statusWriters, String releaseNamespace, String interfacePrefix) {
        this(nodeName, namespaces, resyncInterval, counterInterval, debounce, statusWriters, releaseNamespace, interfacePrefix,
                DEFAULT_DRIFT_REPAIR);
    }

    public AgentConfig {
        driftRepairInterval = driftRepairInterval == null ? DEFAULT_DRIFT_REPAIR : driftRepairInterval;
        namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
        releaseNamespace = releaseNamespace == null || releaseNamespace.isBlank() ? null : releaseNamespace;
        interfacePrefix = new LinkOwnership(interfacePrefix == null ? LinkOwnership.DEFAULT_PREFIX : interfacePrefix).prefix();
    }

    /** Reading node keys in the client's namespace, with the default interface prefix ({@value LinkOwnership#DEFAULT_PREFIX}). */
    public AgentConfig(String nodeName, Set<String> namespaces, Duration resyncInterval, Duration counterInterval,
                       Duration debounce, int statusWriters) {
        this(nodeName, namespaces, resyncInterval, counterInterval, debounce, statusWriters, null, LinkOwnership.DEFAULT_PREFIX);
    }

    public static AgentConfig of(String nodeName, Set<String> namespaces, Duration resyncInterval, Duration counterInterval) {
        return new AgentConfig(nodeName, namespaces, resyncInterval, counterInterval, Duration.ofMillis(300), 4);
    }

    public AgentConfig withReleaseNamespace(String namespace) {
        return new AgentConfig(nodeName, namespaces, resyncInterval, counterInterval, debounce, statusWriters, namespace, interfacePrefix,
                driftRepairInterval);
    }

    /** @throws IllegalArgumentException when the prefix cannot start a Linux interface name */
    public AgentConfig withInterfacePrefix(String prefix) {
        return new AgentConfig(nodeName, namespaces, resyncInterval, counterInterval, debounce, statusWriters, releaseNamespace, prefix,
                driftRepairInterval);
    }

    public AgentConfig withDriftRepairInterval(Duration interval) {
        return new AgentConfig(nodeName, namespaces, resyncInterval, counterInterval, debounce, statusWriters, releaseNamespace,
                interfacePrefix, interval);
    }
}
