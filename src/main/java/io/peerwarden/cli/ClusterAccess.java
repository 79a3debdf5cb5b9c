package io.peerwarden.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How every entry point reaches the cluster, the way kubectl does: the kubeconfig files named by
 * {@code KUBECONFIG}, else {@code ~/.kube/config}, else the pod's in-cluster service account.
 * When none of them exists, or the API server does not answer, it says so in one sentence
 * ({@link UserError}) within a second or two, instead of letting the client retry an invented
 * {@code https://kubernetes.default.svc} for twenty seconds.
 */
public final class ClusterAccess {

    /** How long the first request may take before the server counts as unreachable. */
    static final int PROBE_TIMEOUT_MILLIS = 1500;

    private final Map<String, String> env;

    ClusterAccess(Map<String, String> env) {
        this.env = env;
    }

    /** A client for the configured cluster, after checking that one is configured and that it answers. */
    public static KubernetesClient connect() {
        return connect(config -> new KubernetesClientBuilder().withConfig(config).build());
    }

    /** A client built by {@code build} (e.g. with bounded thread pools), after the same checks. */
    public static KubernetesClient connect(java.util.function.Function<Config, KubernetesClient> build) {
        ClusterAccess access = new ClusterAccess(System.getenv());
        Config config = access.config();
        access.probe(config);
        return build.apply(config);
    }

    /** The client configuration, or a {@link UserError} saying what was tried when there is none. */
    Config config() {
        Collection<String> kubeconfigs = Config.getKubeconfigFilenames();
        List<String> existing = kubeconfigs.stream().filter(f -> new File(f).isFile()).collect(Collectors.toList());
        boolean inCluster = present(Config.KUBERNETES_SERVICE_HOST_PROPERTY);
        boolean explicitMaster = present(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY);
        if (existing.isEmpty() && !inCluster && !explicitMaster) {
            throw new UserError("No Kubernetes cluster is configured: " + describeKubeconfigs(kubeconfigs)
                    + ", and this is not a pod (KUBERNETES_SERVICE_HOST is not set); "
                    + "point KUBECONFIG at a kubeconfig file (for a local cluster: kind create cluster or k3d cluster create) "
                    + "or run inside a cluster.");
        }
        try {
            return Config.autoConfigure(null);
        } catch (KubernetesClientException e) {
            throw new UserError("Cannot read the Kubernetes configuration (" + String.join(", ", existing) + "): "
                    + rootMessage(e) + ".");
        }
    }

    private String describeKubeconfigs(Collection<String> kubeconfigs) {
        String variable = Optional.ofNullable(System.getProperty(Config.KUBERNETES_KUBECONFIG_FILE))
                .map(v -> "-D" + Config.KUBERNETES_KUBECONFIG_FILE + "=" + v)
                .or(() -> Optional.ofNullable(env.get("KUBECONFIG")).filter(v -> !v.isBlank()).map(v -> "KUBECONFIG=" + v))
                .orElse(null);
        String files = String.join(", ", kubeconfigs);
        return variable != null
                ? variable + " names no existing file"
                : "KUBECONFIG is not set, " + files + " does not exist";
    }

    private boolean present(String property) {
        String fromProperty = System.getProperty(property);
        String fromEnv = env.get(property.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
        return (fromProperty != null && !fromProperty.isBlank()) || (fromEnv != null && !fromEnv.isBlank());
    }

    /**
     * One TCP connection to the API server's host and port, without the client's retries: no
     * answer within {@link #PROBE_TIMEOUT_MILLIS} is a {@link UserError} naming the URL. Skipped
     * behind a proxy, which only the client knows how to pass.
     */
    void probe(Config config) {
        if (config.getHttpsProxy() != null || config.getHttpProxy() != null) {
            return;
        }
        String url = config.getMasterUrl();
        String from = config.getFile() != null ? " (from " + config.getFile() + ")" : "";
        try {
            URI uri = URI.create(url);
            int port = uri.getPort() > 0 ? uri.getPort() : "http".equals(uri.getScheme()) ? 80 : 443;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), port), PROBE_TIMEOUT_MILLIS);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("Cannot reach the Kubernetes API server at " + url + from + ": " + rootMessage(e) + ".");
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String name = root.getClass().getSimpleName();
        if (message == null || message.isBlank()) {
            return switch (name) {
                case "ConnectException" -> "connection refused";
                case "UnresolvedAddressException", "UnknownHostException" -> "the host name does not resolve";
                case "SocketTimeoutException" -> "no answer within " + PROBE_TIMEOUT_MILLIS + " ms";
                default -> name;
            };
        }
        if (root instanceof java.net.UnknownHostException) {
            return "the host name " + message + " does not resolve";
        }
        if (root instanceof java.net.SocketTimeoutException) {
            return "no answer within " + PROBE_TIMEOUT_MILLIS + " ms";
        }
        String sentence = message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
        return Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1);
    }
}
