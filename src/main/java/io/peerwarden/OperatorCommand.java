package io.peerwarden;

import io.peerwarden.cli.ClusterAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.cli.DurationConverter;
import io.peerwarden.cli.NamespaceList;
import io.peerwarden.cli.UserError;
import io.peerwarden.core.policy.InstallPolicy;
import io.peerwarden.core.policy.InvalidPolicyException;
import io.peerwarden.core.policy.PolicyFile;
import io.peerwarden.operator.OperatorClient;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.operator.PeerwardenOperator;
import io.peerwarden.operator.webhook.AdmissionWebhook;
import io.peerwarden.operator.webhook.WebhookTls;
import io.peerwarden.core.plan.KeySource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code peerwarden operator}: runs the controllers against the current kubeconfig or in-cluster account. */
@Command(name = "operator", mixinStandardHelpOptions = true,
        description = "Run the Peerwarden operator (VpnInstance and VpnPeer controllers).")
public class OperatorCommand implements Callable<Integer> {

    @Option(names = "--namespaces", defaultValue = "${env:WATCH_NAMESPACE:-}",
            description = "Comma-separated namespaces to watch; empty watches all (default: env WATCH_NAMESPACE, else all).")
    String namespaces;

    @Option(names = "--leader-election", negatable = true, defaultValue = "${env:LEADER_ELECTION:-true}",
            fallbackValue = "true", arity = "0..1",
            description = "Take the Lease " + OperatorSettings.LEASE_NAME + " before reconciling; --no-leader-election for a "
                    + "single replica (env LEADER_ELECTION). Default: ${DEFAULT-VALUE}.")
    boolean leaderElection;

    @Option(names = "--lease-namespace", defaultValue = "${env:POD_NAMESPACE:-}",
            description = "Namespace of the leader-election Lease (default: env POD_NAMESPACE, else the kubeconfig's namespace).")
    String leaseNamespace;

    @Option(names = "--release-namespace", defaultValue = "${env:POD_NAMESPACE:-}",
            description = "The operator's own namespace, where it publishes each node's keys for the agents "
                    + "(default: env POD_NAMESPACE, else the lease namespace, else the kubeconfig's namespace).")
    String releaseNamespace;

    @Option(names = "--health-port", defaultValue = "${env:HEALTH_PORT:-8080}",
            description = "Port serving /healthz, /readyz and /metrics; -1 disables (env HEALTH_PORT). "
                    + "Default: ${DEFAULT-VALUE}.")
    int healthPort;

    @Option(names = "--resync", defaultValue = "10m", converter = DurationConverter.class,
            description = "Longest time between two reconciles of an unchanged instance (500ms, 10s, 5m, 1h). Default: ${DEFAULT-VALUE}.")
    Duration resync;

    @Option(names = "--threads", defaultValue = "10",
            description = "Reconciles of different instances running in parallel. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--write-concurrency", defaultValue = "8",
            description = "Peers of one instance whose Secret and status are written at the same time. Default: ${DEFAULT-VALUE}.")
    int writeConcurrency;

    @Option(names = "--policy-file", defaultValue = "${env:POLICY_FILE:-}",
            description = "The install policy (YAML, the chart's `policy:` values): allowed nodes, interface prefix, listen-port"
                    + " range, site subnets. Absent file: the defaults (env POLICY_FILE).")
    String policyFile;

    @Option(names = "--webhook-port", defaultValue = "${env:WEBHOOK_PORT:--1}",
            description = "HTTPS port of the validating admission webhook for VpnPeers; -1 disables (env WEBHOOK_PORT)."
                    + " Default: ${DEFAULT-VALUE}.")
    int webhookPort;

    @Option(names = "--webhook-configuration", defaultValue = "${env:WEBHOOK_CONFIGURATION:-}",
            description = "The ValidatingWebhookConfiguration whose caBundle the operator keeps up to date (env WEBHOOK_CONFIGURATION).")
    String webhookConfiguration;

    @Option(names = "--webhook-secret", defaultValue = "${env:WEBHOOK_SECRET:-peerwarden-webhook-tls}",
            description = "Secret in the release namespace holding the webhook's CA bundle and serving certificate"
                    + " (env WEBHOOK_SECRET). Default: ${DEFAULT-VALUE}.")
    String webhookSecret;

    @Option(names = "--webhook-hosts", defaultValue = "${env:WEBHOOK_HOSTS:-}",
            description = "Comma-separated DNS names (and IPs) the serving certificate is valid for: the webhook Service's"
                    + " names (env WEBHOOK_HOSTS).")
    String webhookHosts;

    @Option(names = "--webhook-cert-validity", defaultValue = "${env:WEBHOOK_CERT_VALIDITY:-2160h}", converter = DurationConverter.class,
            description = "Lifetime of each webhook certificate the operator makes; it rotates after two thirds"
                    + " (env WEBHOOK_CERT_VALIDITY). Default: ${DEFAULT-VALUE}.")
    Duration webhookCertValidity;

    @Option(names = "--webhook-cert-dir", defaultValue = "${env:WEBHOOK_CERT_DIR:-}",
            description = "Serve tls.crt and tls.key from this directory (cert-manager's mounted Secret) instead of making"
                    + " certificates (env WEBHOOK_CERT_DIR).")
    String webhookCertDir;

    /** The webhook's settings from the options; disabled when --webhook-port is negative. */
    AdmissionWebhook.Settings webhookSettings(String releaseNamespace) {
        if (webhookPort < 0) {
            return AdmissionWebhook.Settings.disabled();
        }
        List<String> hosts = webhookHosts == null || webhookHosts.isBlank() ? List.of("localhost")
                : Arrays.stream(webhookHosts.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
        return new AdmissionWebhook.Settings(webhookPort, null, new WebhookTls.Settings(releaseNamespace, webhookSecret,
                webhookConfiguration == null || webhookConfiguration.isBlank() ? null : webhookConfiguration, hosts,
                webhookCertValidity, Duration.ofSeconds(10), Duration.ofMinutes(1)),
                webhookCertDir == null || webhookCertDir.isBlank() ? null : Path.of(webhookCertDir));
    }

    /** The operator's settings from the options; a bad policy file is a {@link UserError} naming the field. */
    OperatorSettings settings() {
        InstallPolicy policy;
        try {
            policy = PolicyFile.read(policyFile == null || policyFile.isBlank() ? null : Path.of(policyFile));
        } catch (InvalidPolicyException e) {
            throw new UserError("invalid install policy: " + e.getMessage());
        }
        return new OperatorSettings(NamespaceList.parse(namespaces), leaderElection, leaseNamespace.isBlank() ? null : leaseNamespace,
                healthPort, resync, threads, writeConcurrency, releaseNamespace, policy);
    }

    @Override
    public Integer call() throws InterruptedException {
        OperatorSettings settings = settings();
        KubernetesClient client = ClusterAccess.connect(OperatorClient::build);
        CountDownLatch stopped = new CountDownLatch(1);
        PeerwardenOperator operator = PeerwardenOperator.start(client, settings, Clock.systemUTC(), KeySource.random(),
                webhookSettings(settings.releaseNamespaceOr(client.getNamespace())));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.close();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
