package io.peerwarden.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.peerwarden.core.plan.KeySource;
import io.peerwarden.ops.HealthServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The operator process: java-operator-sdk with both reconcilers, non-SSA writes everywhere (one
 * code path for real API servers and the CRUD mock, which rejects server-side apply), optional
 * leader election, health and metrics endpoints. {@link #close()} stops it gracefully.
 */
public final class PeerwardenOperator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerwardenOperator.class);

    private final Operator operator;
    private final VpnInstanceReconciler instances;
    private final OperatorMetrics metrics;
    private final HealthServer health;
    private final AtomicBoolean closing;

    private PeerwardenOperator(Operator operator, VpnInstanceReconciler instances, OperatorMetrics metrics, HealthServer health,
                               AtomicBoolean closing) {
        this.closing = closing;
        this.operator = operator;
        this.instances = instances;
        this.metrics = metrics;
        this.health = health;
    }

    public static PeerwardenOperator start(KubernetesClient client, OperatorSettings settings) {
        return start(client, settings, Clock.systemUTC(), KeySource.random());
    }

    public static PeerwardenOperator start(KubernetesClient client, OperatorSettings settings, Clock clock, KeySource keys) {
        AtomicBoolean closing = new AtomicBoolean();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        OperatorMetrics metrics = new OperatorMetrics(registry);
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withConcurrentReconciliationThreads(settings.threads())
                    .withCloseClientOnStop(false)
                    .withStopOnInformerErrorDuringStartup(true)
                    .withCacheSyncTimeout(Duration.ofMinutes(2));
            if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(leaderElection(settings.leaseNamespace(), closing));
            }
        });
        GenericRetry retry = new GenericRetry().setInitialInterval(500).setIntervalMultiplier(2).setMaxInterval(60_000)
                .setMaxAttempts(Integer.MAX_VALUE);
        VpnInstanceReconciler instances = new VpnInstanceReconciler(client, clock, metrics, keys, settings.writeConcurrency());
        operator.register(instances, c -> {
            // the agent's Applied lands in the instance status and must re-trigger the Ready summary
            c.withGenerationAware(false).withOnUpdateFilter(new InstanceChangeFilter())
                    .withReconciliationMaxInterval(settings.resync()).withRetry(retry);
            if (!settings.namespaces().isEmpty()) {
                c.settingNamespaces(settings.namespaces());
            }
        });
        operator.register(new OrphanPeerReconciler(client, clock, metrics), c -> {
            c.withReconciliationMaxInterval(settings.resync()).withRetry(retry);
            if (!settings.namespaces().isEmpty()) {
                c.settingNamespaces(settings.namespaces());
            }
        });
        HealthServer health = null;
        if (settings.healthPort() >= 0) {
            try {
                health = new HealthServer(settings.healthPort(),
                        () -> operator.getRuntimeInfo().allEventSourcesAreHealthy(),
                        () -> operator.getRuntimeInfo().isStarted(),
                        registry::scrape);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve health on port " + settings.healthPort(), e);
            }
        }
        operator.start();
        LOG.info("Peerwarden operator started (namespaces: {}, leader election: {})",
                settings.namespaces().isEmpty() ? "all" : settings.namespaces(), settings.leaderElection());
        return new PeerwardenOperator(operator, instances, metrics, health, closing);
    }

    /**
     * Lost the Lease while running: exit, so that the pod restarts and waits for the Lease again instead
     * of reconciling beside the new leader (java-operator-sdk's default). Stopping on purpose (close(),
     * from a test or the shutdown hook) also stops leading, and must not exit: a System.exit from a
     * shutdown hook blocks for ever, and in a test it kills the JVM.
     */
    private static LeaderElectionConfiguration leaderElection(String leaseNamespace, AtomicBoolean closing) {
        Runnable exitUnlessClosing = () -> {
            if (!closing.get()) {
                LOG.error("lost the Lease {}; exiting", OperatorSettings.LEASE_NAME);
                System.exit(1);
            }
        };
        return new LeaderElectionConfiguration(OperatorSettings.LEASE_NAME, leaseNamespace,
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null,
                new LeaderCallbacks(() -> { }, exitUnlessClosing, leader -> { }), false);
    }

    public OperatorMetrics metrics() {
        return metrics;
    }

    /** The port serving /healthz, /readyz and /metrics (useful with port 0), or -1 when disabled. */
    public int healthPort() {
        return health == null ? -1 : health.port();
    }

    public String scrapeMetrics() {
        return ((PrometheusMeterRegistry) metrics.registry()).scrape();
    }

    @Override
    public void close() {
        closing.set(true);
        operator.stop();
        instances.close();
        if (health != null) {
            health.close();
        }
    }
}
