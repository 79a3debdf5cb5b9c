package io.peerwarden.agent;

import java.time.Duration;

/**
 * @param namespace        the one namespace to watch, or null for all
 * @param debounce         delay of an event-triggered pass, so a burst of events gives one pass
 * @param statusWriters    threads writing peer status in parallel
 */
public record AgentConfig(String nodeName, String namespace, Duration resyncInterval, Duration counterInterval,
                          Duration debounce, int statusWriters) {

    public static AgentConfig of(String nodeName, String namespace, Duration resyncInterval, Duration counterInterval) {
        return new AgentConfig(nodeName, namespace, resyncInterval, counterInterval, Duration.ofMillis(300), 4);
    }
}
