package io.peerwarden.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The operator's Prometheus metrics: reconciles and errors per controller, API writes by kind and
 * verb (a steady state must show none), peers by Ready status and current allowed-IP collisions,
 * both summed over the instances as last planned.
 */
public final class OperatorMetrics {

    private final MeterRegistry registry;
    private final Map<String, InstanceFigures> figuresByInstance = new ConcurrentHashMap<>();

    record InstanceFigures(int peers, int ready, int notReady, int unknown, int collisions) {
    }

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        gauge("peerwarden_peers", "Peers by the status of their Ready condition", "True", InstanceFigures::ready);
        gauge("peerwarden_peers", "Peers by the status of their Ready condition", "False", InstanceFigures::notReady);
        gauge("peerwarden_peers", "Peers by the status of their Ready condition", "Unknown", InstanceFigures::unknown);
        Gauge.builder("peerwarden_collisions", figuresByInstance, m -> sum(m, InstanceFigures::collisions))
                .description("Peers currently refused because their allowed IPs overlap an earlier peer's")
                .register(registry);
        Gauge.builder("peerwarden_instances", figuresByInstance, Map::size)
                .description("VpnInstances the operator reconciles").register(registry);
    }

    private void gauge(String name, String description, String status, ToIntFunction<InstanceFigures> figure) {
        Gauge.builder(name, figuresByInstance, m -> sum(m, figure))
                .description(description).tag("condition", "Ready").tag("status", status).register(registry);
    }

    private static double sum(Map<String, InstanceFigures> figures, ToIntFunction<InstanceFigures> figure) {
        return figures.values().stream().mapToInt(figure).sum();
    }

    public MeterRegistry registry() {
        return registry;
    }

    void reconciled(String controller, boolean success, Duration took) {
        Counter.builder("peerwarden_reconciles_total").description("Reconciles by controller and result")
                .tag("controller", controller).tag("result", success ? "success" : "error").register(registry).increment();
        Timer.builder("peerwarden_reconcile_duration").description("Time one reconcile took")
                .tag("controller", controller).register(registry).record(took);
    }

    void apiWrite(String kind, String verb) {
        Counter.builder("peerwarden_api_writes_total").description("Writes the operator sent to the API server")
                .tag("kind", kind).tag("verb", verb).register(registry).increment();
    }

    void instanceFigures(String instanceKey, int peers, int ready, int notReady, int unknown, int collisions) {
        figuresByInstance.put(instanceKey, new InstanceFigures(peers, ready, notReady, unknown, collisions));
    }

    /**
     * One plan: of every peer ({@code everything}), or of {@code changed} peers only. A steady state with a change now
     * and then shows plans of one peer, and full plans only at the start and on the resync interval.
     */
    void planned(boolean everything, int changed) {
        String scope = everything ? "all" : "changed";
        Counter.builder("peerwarden_plans_total").description("Plans of an instance: of all its peers, or of the changed ones only")
                .tag("scope", scope).register(registry).increment();
        if (!everything) {
            Counter.builder("peerwarden_plan_changed_peers_total").description("Changed peers given to plans of changed peers only")
                    .register(registry).increment(changed);
        }
    }

    void forgetInstance(String instanceKey) {
        figuresByInstance.remove(instanceKey);
    }

    /** Drops the figures of instances that no longer exist, so deleted instances stop counting. */
    void retainInstances(java.util.Set<String> existingInstanceKeys) {
        figuresByInstance.keySet().retainAll(existingInstanceKeys);
    }
}
