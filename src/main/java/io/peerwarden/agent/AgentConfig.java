package io.peerwarden.agent;

import java.time.Duration;
import java.util.Set;

/**
 * @param namespaces       the namespaces to watch; empty for all
 * @param debounce         delay of an event-triggered pass, so a burst of events gives one pass
 * @param statusWriters    threads writing peer status in parallel
 */
public record AgentConfig(String nodeName, Set<String> namespaces, Duration resyncInterval, Duration counterInterval,
                          Duration debounce, int statusWriters) {

    public AgentConfig {
        namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
    }

    public static AgentConfig of(String nodeName, Set<String> namespaces, Duration resyncInterval, Duration counterInterval) {
        return new AgentConfig(nodeName, namespaces, resyncInterval, counterInterval, Duration.ofMillis(300), 4);
    }
}
