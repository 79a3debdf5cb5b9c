package io.peerwarden;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.operator.PeerwardenOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/** {@code peerwarden operator}: runs the controllers against the current kubeconfig or in-cluster account. */
@Command(name = "operator", mixinStandardHelpOptions = true,
        description = "Run the Peerwarden operator (VpnInstance and VpnPeer controllers).")
public class OperatorCommand implements Callable<Integer> {

    @Option(names = "--namespaces", defaultValue = "${env:WATCH_NAMESPACE:-}",
            description = "Comma-separated namespaces to watch; empty watches all (env WATCH_NAMESPACE).")
    String namespaces;

    @Option(names = "--leader-election", defaultValue = "${env:LEADER_ELECTION:-true}", arity = "1",
            description = "Take the Lease " + OperatorSettings.LEASE_NAME + " before reconciling (env LEADER_ELECTION, default true).")
    boolean leaderElection;

    @Option(names = "--lease-namespace", defaultValue = "${env:POD_NAMESPACE:-}",
            description = "Namespace of the leader-election Lease (env POD_NAMESPACE; default: the client's namespace).")
    String leaseNamespace;

    @Option(names = "--health-port", defaultValue = "${env:HEALTH_PORT:-8080}",
            description = "Port serving /healthz, /readyz and /metrics (-1 disables).")
    int healthPort;

    @Option(names = "--resync", defaultValue = "PT10M", description = "Longest time between two reconciles of an unchanged instance (ISO-8601).")
    Duration resync;

    @Option(names = "--threads", defaultValue = "10", description = "Reconciles of different instances running in parallel.")
    int threads;

    @Option(names = "--write-concurrency", defaultValue = "8",
            description = "Peers of one instance whose Secret and status are written at the same time.")
    int writeConcurrency;

    @Override
    public Integer call() throws InterruptedException {
        Set<String> watched = Arrays.stream(namespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        KubernetesClient client = new KubernetesClientBuilder().build();
        OperatorSettings settings = new OperatorSettings(watched, leaderElection,
                leaseNamespace.isBlank() ? null : leaseNamespace, healthPort, resync, threads, writeConcurrency);
        CountDownLatch stopped = new CountDownLatch(1);
        PeerwardenOperator operator = PeerwardenOperator.start(client, settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.close();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
