package io.peerwarden.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.peerwarden.core.plan.KeySource;
import io.peerwarden.operator.webhook.AdmissionWebhook;
import io.peerwarden.ops.HealthServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The operator process: java-operator-sdk with the instance reconciler (orphaned peers included), non-SSA writes everywhere (one
 * code path for real API servers and the CRUD mock, which rejects server-side apply), optional
 * leader election, health and metrics endpoints. {@link #close()} stops it gracefully.
 */
public final class PeerwardenOperator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerwardenOperator.class);

    private final KubernetesClient client;
    private final Operator operator;
    private final VpnInstanceReconciler instances;
    private final OperatorMetrics metrics;
    private final HealthServer health;
    /** null without leader election */
    private final LeaderLease lease;
    /** null without the admission webhook */
    private AdmissionWebhook webhook;

    private PeerwardenOperator(KubernetesClient client, Operator operator, VpnInstanceReconciler instances, OperatorMetrics metrics,
                               HealthServer health, LeaderLease lease) {
        this.client = client;
        this.operator = operator;
        this.instances = instances;
        this.metrics = metrics;
        this.health = health;
        this.lease = lease;
    }

    public static PeerwardenOperator start(KubernetesClient client, OperatorSettings settings) {
        return start(client, settings, Clock.systemUTC(), KeySource.random());
    }

    public static PeerwardenOperator start(KubernetesClient client, OperatorSettings settings, Clock clock, KeySource keys) {
        return start(client, settings, clock, keys, AdmissionWebhook.Settings.disabled());
    }

    /** With the validating admission webhook, when {@code webhook} enables it, answering from the reconciler's caches. */
    public static PeerwardenOperator start(KubernetesClient client, OperatorSettings settings, Clock clock, KeySource keys,
                                           AdmissionWebhook.Settings webhook) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        OperatorMetrics metrics = new OperatorMetrics(registry);
        LeaderLease lease = settings.leaderElection() ? new LeaderLease(settings.leaseNamespace(), client) : null;
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withConcurrentReconciliationThreads(settings.threads())
                    .withCloseClientOnStop(false)
                    .withStopOnInformerErrorDuringStartup(true)
                    .withCacheSyncTimeout(Duration.ofMinutes(2));
            if (lease != null) {
                o.withLeaderElectionConfiguration(lease.configuration());
            }
        });
        GenericRetry retry = new GenericRetry().setInitialInterval(500).setIntervalMultiplier(2).setMaxInterval(60_000)
                .setMaxAttempts(Integer.MAX_VALUE);
        VpnInstanceReconciler instances = new VpnInstanceReconciler(client, clock, metrics, keys, settings.writeConcurrency(),
                settings.releaseNamespaceOr(client.getNamespace()), settings.policy(), settings.resync());
        InstanceChangeFilter changes = new InstanceChangeFilter();
        operator.register(instances, c -> {
            // the agent's Applied lands in the instance status and must re-trigger the Ready summary; a change of the
            // instance itself has every peer planned again. Orphaned peers are looked after from the same peer cache
            // (OrphanPeers): no second VpnPeer controller, no timer per peer.
            c.withGenerationAware(false)
                    .withOnUpdateFilter((newInstance, oldInstance) -> changes.accept(newInstance, oldInstance)
                            && instances.instanceChanged(newInstance))
                    .withReconciliationMaxInterval(settings.resync()).withRetry(retry);
            if (settings.namespaces().size() <= 1) {
                // without managed fields, like every cache of the operator's (one informer: see LeanItemStore)
                c.withItemStore(LeanItemStore.of(io.peerwarden.api.v1alpha1.VpnInstance.class));
            }
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
        PeerwardenOperator started = new PeerwardenOperator(client, operator, instances, metrics, health, lease);
        if (webhook.enabled()) {
            started.webhook = AdmissionWebhook.start(client, webhook, clock, instances::planWith, instances::planWith);
        }
        return started;
    }

    /** The admission webhook, when it runs. */
    public Optional<AdmissionWebhook> webhook() {
        return Optional.ofNullable(webhook);
    }

    /** The instance reconciler (for tests of what it planned). */
    VpnInstanceReconciler instanceReconciler() {
        return instances;
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

    /** The identity this process takes the Lease under, or empty without leader election. */
    public Optional<String> leaseIdentity() {
        return Optional.ofNullable(lease).map(LeaderLease::identity);
    }

    @Override
    public void close() {
        if (webhook != null) {
            webhook.close();
        }
        if (lease != null) {
            lease.stopping();
        }
        operator.stop();
        instances.close();
        if (lease != null) {
            // only now that nothing reconciles any more may a standby start
            lease.release(client);
        }
        if (health != null) {
            health.close();
        }
    }
}
