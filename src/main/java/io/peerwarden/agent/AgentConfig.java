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
 */
public record AgentConfig(String nodeName, Set<String> namespaces, Duration resyncInterval, Duration counterInterval,
                          Duration debounce, int statusWriters, String releaseNamespace, String interfacePrefix) {

    public AgentConfig {
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
        return new AgentConfig(nodeName, namespaces, resyncInterval, counterInterval, debounce, statusWriters, namespace, interfacePrefix);
    }

    /** @throws IllegalArgumentException when the prefix cannot start a Linux interface name */
    public AgentConfig withInterfacePrefix(String prefix) {
        return new AgentConfig(nodeName, namespaces, resyncInterval, counterInterval, debounce, statusWriters, releaseNamespace, prefix);
    }
}
