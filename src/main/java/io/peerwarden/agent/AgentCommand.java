package io.peerwarden.agent;

import io.peerwarden.cli.ClusterAccess;
import io.peerwarden.cli.DurationConverter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.cli.NamespaceList;
import io.peerwarden.ops.HealthServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code peerwarden agent}: the node agent (a DaemonSet), applying this node's VpnInstances with wg/ip. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run the node agent: make this node's WireGuard interfaces match the VpnInstances and VpnPeers, and report their state.")
public final class AgentCommand implements Callable<Integer> {

    @Option(names = "--node-name", defaultValue = "${env:NODE_NAME}",
            description = "This node's name (default: env NODE_NAME, set from the downward API).")
    String nodeName;

    @Option(names = "--namespaces", defaultValue = "${env:WATCH_NAMESPACE:-}",
            description = "Comma-separated namespaces to watch; empty watches all (default: env WATCH_NAMESPACE, else all).")
    String namespaces;

    @Option(names = "--release-namespace", defaultValue = "${env:POD_NAMESPACE:-}",
            description = "Namespace where the operator publishes this node's keys, the only one whose Secrets the agent reads "
                    + "(default: env POD_NAMESPACE, the agent's own namespace, which is the operator's).")
    String releaseNamespace;

    @Option(names = "--implementation", defaultValue = "auto", converter = ImplementationConverter.class,
            description = "auto (kernel module, else wireguard-go), kernel or userspace. Default: ${DEFAULT-VALUE}.")
    Implementation implementation;

    @Option(names = "--resync-interval", defaultValue = "10s", converter = DurationConverter.class,
            description = "Interval of status passes: one wg show dump per interface, statuses written where they changed (500ms, 10s, 5m, 1h). Default: ${DEFAULT-VALUE}.")
    Duration resyncInterval;

    @Option(names = "--drift-repair-interval", defaultValue = "${env:DRIFT_REPAIR_INTERVAL:-5m}", converter = DurationConverter.class,
            description = "Interval of full passes (every peer dumped and compared, routes, firewall) that repair changes made to the "
                    + "interfaces behind the agent's back; peer changes are applied as they come, one wg set each (500ms, 10s, 5m, 1h). "
                    + "Default: env DRIFT_REPAIR_INTERVAL, else 5m.")
    Duration driftRepairInterval;

    @Option(names = "--counter-interval", defaultValue = "60s", converter = DurationConverter.class,
            description = "Interval at which peers' transfer counters and handshake times are written to status (500ms, 10s, 5m, 1h). Default: ${DEFAULT-VALUE}.")
    Duration counterInterval;

    @Option(names = "--key-dir", defaultValue = "${env:KEY_DIR}",
            description = "Directory (best on a tmpfs) under which a private 0700 directory holds key files "
            + "while wg reads them. Default: env KEY_DIR, else /dev/shm, else /run, else the temp dir.")
    Path keyDir;

    @Option(names = "--interface-prefix", defaultValue = "${env:INTERFACE_PREFIX:-pw}",
            description = "The start of every link name the agent may create and manage (install policy): it never touches "
            + "a link whose name lacks it, nor one it did not create. Default: env INTERFACE_PREFIX, else pw.")
    String interfacePrefix;

    @Option(names = "--health-port", defaultValue = "${env:HEALTH_PORT:-8081}", description = "Port of /healthz, /readyz and /metrics (default: env HEALTH_PORT, else 8081).")
    int healthPort;

    @Option(names = "--netns", description = "Run wg/ip/wireguard-go inside this network namespace (ip netns exec); for tests and special setups.")
    String netns;

    @Option(names = "--firewall", defaultValue = "${env:FIREWALL:-true}", arity = "1",
            description = "Apply the instances' forwarding, NAT and access rules (sysctl, nftables table inet peerwarden). Default: ${DEFAULT-VALUE}.")
    boolean firewall;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        if (nodeName == null || nodeName.isBlank()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--node-name or env NODE_NAME is required");
        }
        List<String> prefix = new ArrayList<>();
        if (netns != null && !netns.isBlank()) {
            prefix.addAll(List.of("ip", "netns", "exec", netns));
        }
        AgentConfig config = config();
        try (KeyFiles keys = new KeyFiles(keyDir == null || keyDir.toString().isEmpty() ? KeyFiles.defaultBase() : keyDir);
             KubernetesClient client = ClusterAccess.connect()) {
            InterfaceDriver driver = new InterfaceDriver(new ProcessCommandRunner(prefix, Duration.ofMinutes(2)), implementation, keys,
                    InterfaceDriver.DEFAULT_BATCH_SIZE, config.interfacePrefix());
            Agent agent = new Agent(client, config, driver, Clock.systemUTC());
            io.peerwarden.agent.metrics.AgentMetrics metrics = new io.peerwarden.agent.metrics.AgentMetrics(Clock.systemUTC());
            agent.withMetrics(metrics);
            if (firewall) {
                ProcessCommandRunner firewallRunner = new ProcessCommandRunner(prefix, Duration.ofMinutes(1));
                agent.withFirewall(new FirewallDriver(firewallRunner, Path.of(System.getProperty("java.io.tmpdir"))));
            }
            try (HealthServer health = new HealthServer(healthPort, agent::alive, agent::ready, metrics::scrape)) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    agent.close();
                    stop.countDown();
                }, "agent-shutdown"));
                agent.start();
                stop.await();
            }
        }
        return 0;
    }

    /** The agent's configuration from the options. */
    AgentConfig config() {
        AgentConfig config = AgentConfig.of(nodeName, NamespaceList.parse(namespaces), resyncInterval, counterInterval)
                .withReleaseNamespace(releaseNamespace).withDriftRepairInterval(driftRepairInterval);
        try {
            return config.withInterfacePrefix(interfacePrefix);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--interface-prefix '" + interfacePrefix + "': " + e.getMessage());
        }
    }

    static final class ImplementationConverter implements CommandLine.ITypeConverter<Implementation> {
        @Override
        public Implementation convert(String value) {
            try {
                return Implementation.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not one of auto, kernel, userspace");
            }
        }
    }
}
