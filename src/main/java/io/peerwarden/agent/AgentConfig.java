package io.peerwarden.agent;

import java.time.Duration;
import java.util.Set;

/**
 * @param namespaces       the namespaces to watch; empty for all
 * @param debounce         delay of an event-triggered pass, so a burst of events gives one pass
 * @param statusWriters    threads writing peer status in parallel
 * @param releaseNamespace where the operator publishes this node's keys (its own namespace); null: the client's namespace
 */
public record AgentConfig(String nodeName, Set<String> namespaces, Duration resyncInterval, Duration counterInterval,
                          Duration debounce, int statusWriters, String releaseNamespace) {

    public AgentConfig {
        namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
        releaseNamespace = releaseNamespace == null || releaseNamespace.isBlank() ? null : releaseNamespace;
    }

    /** Reading node keys in the client's namespace. */
    public AgentConfig(String nodeName, Set<String> namespaces, Duration resyncInterval, Duration counterInterval,
                       Duration debounce, int statusWriters) {
        this(nodeName, namespaces, resyncInterval, counterInterval, debounce, statusWriters, null);
    }

    public static AgentConfig of(String nodeName, Set<String> namespaces, Duration resyncInterval, Duration counterInterval) {
        return new AgentConfig(nodeName, namespaces, resyncInterval, counterInterval, Duration.ofMillis(300), 4);
    }

    public AgentConfig withReleaseNamespace(String namespace) {
        return new AgentConfig(nodeName, namespaces, resyncInterval, counterInterval, debounce, statusWriters, namespace);
    }
}
