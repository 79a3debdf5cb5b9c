package io.peerwarden.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real control plane for the tests whose claim only a real API server can prove (schema, CEL,
 * RBAC, names and labels, garbage collection, server-side apply, leader election): etcd and
 * kube-apiserver started through fabric8 kube-api-test, plus kube-controller-manager with only the
 * garbage collector, the namespace controller and ClusterRole aggregation, all pointed at one another.
 *
 * <p>The binaries are the ones {@code test-infra/kube-binaries.sh} builds from Go modules into
 * {@code ~/.kubeapitest/k8s/<version>-linux-amd64/}. Where they are missing, a test that needs the
 * cluster skips with the command to build them; under {@code CI=true} the skip is a failure.
 *
 * <p>One cluster serves every test class of a JVM ({@link #shared()}): starting one costs about ten
 * seconds. Test classes keep out of each other's way with their own namespaces
 * ({@link #createNamespace}). Its processes stop when the JVM exits, however the tests ended, and a
 * later run kills any a killed JVM left behind.
 */
public final class RealCluster implements AutoCloseable {

    /** The release test-infra/kube-binaries.sh builds (K8S_VERSION there). */
    public static final String KUBERNETES_VERSION = "1.36.3";
    public static final List<String> CRD_FILES = List.of("vpninstances.vpn.peerwarden.io-v1.yml", "vpnpeers.vpn.peerwarden.io-v1.yml");
    private static final Path BINARIES = Path.of(System.getenv().getOrDefault("KUBEAPITEST_DIR",
            System.getProperty("user.home") + "/.kubeapitest"), "k8s", KUBERNETES_VERSION + "-linux-amd64");
    private static final Path PID_FILE = Path.of(System.getProperty("java.io.tmpdir"), "peerwarden-realcluster.pids");
    private static final List<String> OUR_PROCESSES = List.of("kube-apiserver", "etcd", "kube-controller-manager");

    private static RealCluster shared;

    private final Path workDir;
    private final KubeAPIServer apiServer;
    private final Path kubeconfig;
    private KubernetesClient admin;
    private Process controllerManager;
    private volatile boolean closed;

    private RealCluster() throws IOException {
        killLeftovers();
        workDir = Files.createTempDirectory("peerwarden-realcluster-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // kube-api-test keeps certificates and kubeconfig in its test dir; a private one per run keeps
        // concurrent runs apart, with the shared binaries linked in
        Files.createDirectories(workDir.resolve("k8s"));
        Files.createSymbolicLink(workDir.resolve("k8s").resolve(BINARIES.getFileName()), BINARIES);
        apiServer = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(workDir.toString())
                .withApiServerVersion(KUBERNETES_VERSION)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withStartupTimeout(180_000)
                .build());
        kubeconfig = workDir.resolve("kubeconfig");
        try {
            apiServer.start();
            recordChildren();
            Files.writeString(kubeconfig, apiServer.getKubeConfigYaml());
            admin = client(Config.fromKubeconfig(apiServer.getKubeConfigYaml()));
            // the CRDs first: the garbage collector then watches VpnPeers and VpnInstances from its
            // first discovery instead of after its next resync
            installCrds();
            controllerManager = startControllerManager();
            recordChildren();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The one cluster of this JVM, started on first use; skips (fails under CI=true) where the binaries are missing. */
    public static synchronized RealCluster shared() {
        require();
        if (shared == null) {
            try {
                shared = new RealCluster();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            RealCluster cluster = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "realcluster-stop"));
        }
        return shared;
    }

    /** Why no real cluster can run here, or empty when one can. */
    public static Optional<String> problem() {
        for (String binary : List.of("kube-apiserver", "etcd", "kubectl", "kube-controller-manager")) {
            if (!Files.isExecutable(BINARIES.resolve(binary))) {
                return Optional.of(binary + " " + KUBERNETES_VERSION + " is missing from " + BINARIES
                        + "; build the control plane from Go modules with test-infra/kube-binaries.sh");
            }
        }
        return Optional.empty();
    }

    /** Skip the calling test with the reason where no real cluster can run; under CI=true fail instead. */
    public static void require() {
        Optional<String> problem = problem();
        if (problem.isEmpty()) {
            return;
        }
        String message = "real-API test needs kube-apiserver, etcd, kubectl and kube-controller-manager: " + problem.get();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true: a skip is a failure)");
        }
        Assumptions.abort(message);
    }

    /** A system:masters client: bypasses RBAC, as a cluster admin's kubectl does. */
    public KubernetesClient admin() {
        return admin;
    }

    /**
     * A new system:masters client whose requests carry the given user agent: the API server records it as the
     * field manager in managedFields, so a test can tell apart what two writers (operator and agent, two
     * operator replicas) wrote. The caller closes it.
     */
    public KubernetesClient withUserAgent(String userAgent) {
        Config config = Config.fromKubeconfig(apiServer.getKubeConfigYaml());
        config.setUserAgent(userAgent);
        return client(config);
    }

    /** A new client acting as the given user and groups (impersonated, so RBAC decides what it may do). */
    public KubernetesClient as(String user, String... groups) {
        return client(impersonating(user, groups));
    }

    /** A new client acting as a ServiceAccount, with the groups the API server gives a ServiceAccount token. */
    public KubernetesClient asServiceAccount(String namespace, String name) {
        return client(serviceAccountConfig(namespace, name));
    }

    /**
     * Like {@link #asServiceAccount(String, String)}, with every HTTP exchange also passing through the
     * interceptor (e.g. {@link ApiCallRecorder}, to see each request the API server refused).
     */
    public KubernetesClient asServiceAccount(String namespace, String name, Interceptor interceptor) {
        return client(serviceAccountConfig(namespace, name), interceptor);
    }

    private Config serviceAccountConfig(String namespace, String name) {
        return impersonating(serviceAccountUser(namespace, name), "system:serviceaccounts", "system:serviceaccounts:" + namespace);
    }

    private Config impersonating(String user, String... groups) {
        Config config = Config.fromKubeconfig(apiServer.getKubeConfigYaml());
        config.setImpersonateUsername(user);
        List<String> all = new ArrayList<>(List.of(groups));
        all.add("system:authenticated");
        config.setImpersonateGroups(all.toArray(String[]::new));
        return config;
    }

    public static String serviceAccountUser(String namespace, String name) {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    /** The built kubectl, as the admin; {@code --as=...} in args acts as another user. */
    public Kubectl.Result kubectl(String... args) {
        return Kubectl.run(BINARIES.resolve("kubectl"), kubeconfig, null, args);
    }

    /** The built kubectl with the given text on its standard input (for {@code -f -}). */
    public Kubectl.Result kubectlWithInput(String stdin, String... args) {
        return Kubectl.run(BINARIES.resolve("kubectl"), kubeconfig, stdin, args);
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** A namespace of its own for a test class: {@code <prefix>-<random>}. */
    public String createNamespace(String prefix) {
        String name = prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF));
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    /**
     * Deletes a test's namespace and waits until the namespace controller has removed it with
     * everything in it, so a later test class's operator, which may watch every namespace, never
     * meets its leftovers (e.g. a 403 for writing into a terminating namespace).
     */
    public void deleteNamespace(String name) {
        admin.namespaces().withName(name).delete();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> admin.namespaces().withName(name).get() == null);
    }

    /** A Node object (no kubelet behind it) with the given labels and addresses ({@code type → address}). */
    public void ensureNode(String name, Map<String, String> labels, Map<String, String> addresses) {
        if (admin.nodes().withName(name).get() != null) {
            return;
        }
        List<NodeAddress> nodeAddresses = addresses.entrySet().stream().map(e -> new NodeAddress(e.getValue(), e.getKey())).toList();
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewStatus().withAddresses(nodeAddresses).endStatus().build()).create();
        if (!nodeAddresses.isEmpty()) {
            // a create ignores status: write it through the status subresource as a kubelet would
            admin.nodes().withName(name).editStatus(n -> {
                n.getStatus().setAddresses(nodeAddresses);
                return n;
            });
        }
    }

    private static KubernetesClient client(Config config, Interceptor... interceptors) {
        config.setRequestTimeout(30_000);
        return new KubernetesClientBuilder().withConfig(config).withHttpClientBuilderConsumer(http -> {
            for (Interceptor interceptor : interceptors) {
                http.addOrReplaceInterceptor(interceptor.getClass().getName(), interceptor);
            }
        }).build();
    }

    private Process startControllerManager() throws IOException {
        Path log = workDir.resolve("kube-controller-manager.log");
        Process process = new ProcessBuilder(BINARIES.resolve("kube-controller-manager").toString(),
                "--kubeconfig=" + kubeconfig,
                // clusterrole-aggregation: what the chart aggregates into the built-in view/edit/admin roles
                "--controllers=garbage-collector-controller,namespace-controller,clusterrole-aggregation-controller",
                "--leader-elect=false",
                "--secure-port=0",
                "--concurrent-gc-syncs=5",
                "--v=1")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("kube-controller-manager exited with " + process.exitValue());
                }
                return Files.readString(log).contains("Garbage collector: all resource monitors have synced");
            });
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw new IllegalStateException("kube-controller-manager did not start its controllers:\n" + Files.readString(log), e);
        }
        return process;
    }

    private void installCrds() {
        for (String file : CRD_FILES) {
            try (InputStream in = Files.newInputStream(MockCluster.GENERATED_CRDS.resolve(file))) {
                CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions().load(in).item();
                admin.apiextensions().v1().customResourceDefinitions().resource(crd).create();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> established(admin.apiextensions().v1().customResourceDefinitions()
                                .withName(crd.getMetadata().getName()).get()));
            } catch (IOException e) {
                throw new UncheckedIOException("generated CRD missing (run the build first): " + file, e);
            }
        }
    }

    public static boolean established(CustomResourceDefinition crd) {
        // a CRD just created may have a status without conditions yet
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /**
     * Records this JVM's control-plane processes as {@code <jvm pid> <process pid>} lines: kube-api-test
     * starts them as plain child processes, which outlive a JVM that is killed.
     */
    private void recordChildren() throws IOException {
        long self = ProcessHandle.current().pid();
        List<String> lines = new ArrayList<>(Files.exists(PID_FILE) ? Files.readAllLines(PID_FILE) : List.of());
        ProcessHandle.current().children().filter(RealCluster::isOurs).map(p -> self + " " + p.pid())
                .filter(line -> !lines.contains(line)).forEach(lines::add);
        Files.write(PID_FILE, lines, StandardCharsets.UTF_8);
    }

    private List<ProcessHandle> children() {
        return ProcessHandle.current().children().filter(RealCluster::isOurs).toList();
    }

    /** Processes of an earlier run whose JVM died before its shutdown hook ran (never those of a live JVM). */
    private static synchronized void killLeftovers() throws IOException {
        if (!Files.exists(PID_FILE)) {
            return;
        }
        List<String> alive = new ArrayList<>();
        for (String line : Files.readAllLines(PID_FILE)) {
            String[] pids = line.trim().split(" ");
            if (pids.length != 2) {
                continue;
            }
            if (ProcessHandle.of(Long.parseLong(pids[0])).map(ProcessHandle::isAlive).orElse(false)) {
                alive.add(line);
                continue;
            }
            ProcessHandle.of(Long.parseLong(pids[1])).filter(RealCluster::isOurs).ifPresent(p -> {
                p.destroyForcibly();
                p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
            });
        }
        Files.write(PID_FILE, alive, StandardCharsets.UTF_8);
    }

    private static boolean isOurs(ProcessHandle process) {
        String command = process.info().command().orElse("").toLowerCase(Locale.ROOT);
        return OUR_PROCESSES.stream().anyMatch(command::endsWith);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (admin != null) {
            admin.close();
        }
        if (controllerManager != null) {
            controllerManager.destroyForcibly();
        }
        try {
            apiServer.stop();
        } catch (RuntimeException e) {
            // the processes are killed below all the same
        } finally {
            List<ProcessHandle> left = children();
            left.forEach(ProcessHandle::destroyForcibly);
            left.forEach(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join());
            forgetChildren();
            try (Stream<Path> files = Files.walk(workDir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                // a temp directory left behind is harmless; the processes are what mattered
            }
        }
    }

    private static synchronized void forgetChildren() {
        String self = ProcessHandle.current().pid() + " ";
        try {
            if (Files.exists(PID_FILE)) {
                Files.write(PID_FILE, Files.readAllLines(PID_FILE).stream().filter(l -> !l.startsWith(self)).toList(),
                        StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            // the next run's killLeftovers skips processes that are gone
        }
    }
}
