package io.peerwarden.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node agent: the cluster's VpnInstances, VpnPeers and this node's published keys ({@link ClusterView}) → desired
 * state per instance on this node → {@link InterfaceDriver} → status ({@link StatusReporter}). Passes ({@link NodePass})
 * run periodically and, debounced, on events ({@link ChangeEvents}); one at a time, on one loop thread.
 * On a normal stop the interfaces stay up (sessions survive an agent restart or upgrade); only an instance that
 * is deleted or moved to another node has its interface torn down — only once every informer is synced, so a
 * half-synced cache never deletes anything, and only for instances in a watched namespace.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final KubernetesClient client;
    private final AgentConfig config;
    private final InterfaceDriver driver;
    private final Clock clock;
    private final ScheduledExecutorService loop;
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final AtomicLong lastPassEnd = new AtomicLong();
    private volatile boolean stopped;
    private final DataplaneExtras extras = new DataplaneExtras();
    private final StatusMemory statusMemory = new StatusMemory();
    private final StatusReporter reporter;
    /** What the informers reported since the last pass; the loop takes it at the start of each pass. */
    private final PendingChanges pending = new PendingChanges();
    private volatile ClusterView cluster;
    private volatile NodePass nodePass;

    public Agent(KubernetesClient client, AgentConfig config, InterfaceDriver driver, Clock clock) {
        this.client = client;
        this.config = config;
        this.driver = driver;
        this.clock = clock;
        this.reporter = new StatusReporter(client, config, clock, statusMemory);
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-loop");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the informers (without waiting for their sync) and the pass schedule. */
    public void start() {
        ClusterView view = new ClusterView(client, config, new ChangeEvents(pending, statusMemory, this::triggerPass));
        this.nodePass = new NodePass(client, config, view, driver, extras, reporter, clock);
        this.cluster = view;
        view.start();
        loop.scheduleWithFixedDelay(() -> safePass(true), 0, config.resyncInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("agent for node {} started (namespaces: {}; node keys from namespace {})", config.nodeName(),
                config.namespaces().isEmpty() ? "all" : String.join(",", new java.util.TreeSet<>(config.namespaces())),
                view.releaseNamespace());
    }

    /** Ready once every informer (every kind, every watched namespace) has its initial list. */
    public boolean ready() {
        ClusterView view = cluster;
        return view != null && view.synced();
    }

    /** Alive while passes keep completing. */
    public boolean alive() {
        long last = lastPassEnd.get();
        // generous: a first pass over 10,000 peers writes many statuses
        long allowed = Math.max(5 * config.resyncInterval().toMillis(), 300_000);
        return !stopped && (last == 0 || System.currentTimeMillis() - last < allowed);
    }

    /** A pass soon (debounced): bursts of events give one pass. */
    public void triggerPass() {
        if (!stopped && passQueued.compareAndSet(false, true)) {
            loop.schedule(() -> safePass(false), config.debounce().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void safePass(boolean periodic) {
        passQueued.set(false);
        try {
            pass(periodic);
        } catch (RuntimeException e) {
            LOG.error("agent pass failed", e);
        } finally {
            lastPassEnd.set(System.currentTimeMillis());
        }
    }

    /**
     * One pass over the instances on this node ({@link NodePass}), on the loop thread.
     *
     * @param periodic a scheduled pass (status pass, teardown of gone instances), not one an event triggered
     */
    void pass(boolean periodic) {
        if (stopped) {
            return;
        }
        PendingChanges.Taken changes = pending.take();
        nodePass.run(changes, ready(), periodic);
    }

    /** Forwarding, NAT and access rules with nftables (null: the agent leaves the node's firewall alone). */
    public Agent withFirewall(FirewallDriver firewall) {
        extras.firewall(firewall);
        return this;
    }

    /** Per-peer and per-instance metrics, updated on every pass. */
    public Agent withMetrics(io.peerwarden.agent.metrics.AgentMetrics metrics) {
        extras.metrics(metrics);
        return this;
    }

    /** Runs one pass now on the loop thread and waits for it (tests, and a final pass). */
    public void passNow() {
        try {
            loop.submit(() -> safePass(true)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Stops watching and passing; the interfaces stay as they are. */
    @Override
    public void close() {
        stopped = true;
        loop.shutdown();
        try {
            loop.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reporter.close();
        ClusterView view = cluster;
        if (view != null) {
            view.stop();
        }
        driver.detach();
        LOG.info("agent stopped; interfaces left in place");
    }
}
