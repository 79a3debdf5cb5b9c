package io.peerwarden.agent;

import io.peerwarden.core.wg.LinkOwnership;

import java.time.Duration;
import java.util.Set;

/**
 * @param namespaces       the namespaces to watch; empty for all
 * @param debounce         delay of an event-triggered pass, so a burst of events gives one pass
 * @param statusWriters    threads writing peer status in parallel
 * @param interfacePrefix  the start of every link name the agent may create and manage (install policy)
 */
public record AgentConfig(String nodeName, Set<String> namespaces, Duration resyncInterval, Duration counterInterval,
                          Duration debounce, int statusWriters, String interfacePrefix) {

    public AgentConfig {
        namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
        interfacePrefix = new LinkOwnership(interfacePrefix == null ? LinkOwnership.DEFAULT_PREFIX : interfacePrefix).prefix();
    }

    /** With the default interface prefix ({@value LinkOwnership#DEFAULT_PREFIX}). */
    public AgentConfig(String nodeName, Set<String> namespaces, Duration resyncInterval, Duration counterInterval,
                       Duration debounce, int statusWriters) {
        this(nodeName, namespaces, resyncInterval, counterInterval, debounce, statusWriters, LinkOwnership.DEFAULT_PREFIX);
    }

    public static AgentConfig of(String nodeName, Set<String> namespaces, Duration resyncInterval, Duration counterInterval) {
        return new AgentConfig(nodeName, namespaces, resyncInterval, counterInterval, Duration.ofMillis(300), 4);
    }
}
