package io.peerwarden.bench;

import io.peerwarden.Main;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The operator as the product starts it, in a JVM of its own: {@code java <the chart's operator.javaOptions> -Xmx256m
 * -cp <classpath> io.peerwarden.Main operator} with a kubeconfig naming the server, production defaults except a
 * single replica ({@code --no-leader-election}, as README's "Run the operator") and a free health
 * port. What a benchmark reads from it is what an operator of the product can read too: its
 * {@code /metrics}, its process CPU time ({@code /proc/<pid>/stat}) and its live heap after a
 * {@code jcmd GC.run}.
 */
final class OperatorProcess implements AutoCloseable {

    /** fabric8 reads the user agent from this system property: server-side request logs can tell the operator apart. */
    static final String USER_AGENT = "peerwarden-operator-bench";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)$");

    private final Process process;
    private final Path log;
    private final int healthPort;

    private OperatorProcess(Process process, Path log, int healthPort) {
        this.process = process;
        this.log = log;
        this.healthPort = healthPort;
    }

    /**
     * Starts the operator against the cluster of {@code kubeconfig} and waits until it serves /readyz
     * (its informers synced).
     *
     * @param maxHeap e.g. "256m", the -Xmx it runs with
     */
    static OperatorProcess start(Path kubeconfig, String maxHeap, String releaseNamespace, Path logDir) {
        try {
            int port = freePort();
            Files.createDirectories(logDir);
            Path log = Files.createTempFile(logDir, "operator-", ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            // the chart's JVM options (GC, JIT, stacks), with the heap this run asks for
            command.addAll(chartJavaOptions().stream().filter(o -> !o.startsWith("-Xmx")).toList());
            command.addAll(List.of("-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError", "-Dkubernetes.user.agent=" + USER_AGENT,
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "operator",
                    "--no-leader-election", "--health-port=" + port, "--release-namespace=" + releaseNamespace));
            command.addAll(1, profilingOptions());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            for (String variable : List.of("KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "KUBERNETES_MASTER", "WATCH_NAMESPACE",
                    "POD_NAMESPACE", "LEADER_ELECTION", "HEALTH_PORT", "POLICY_FILE", "WEBHOOK_PORT")) {
                builder.environment().remove(variable);
            }
            builder.environment().put("KUBECONFIG", kubeconfig.toString());
            OperatorProcess operator = new OperatorProcess(builder.start(), log, port);
            try {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    if (!operator.process.isAlive()) {
                        throw new IllegalStateException("the operator exited with " + operator.process.exitValue() + ":\n" + operator.log());
                    }
                    return operator.ready();
                });
            } catch (RuntimeException e) {
                operator.close();
                throw e;
            }
            return operator;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chart's default {@code operator.javaOptions} (helm/peerwarden/values.yaml), what a pod's JVM runs with. */
    static List<String> chartJavaOptions() {
        try {
            String options = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readTree(Path.of("helm", "peerwarden", "values.yaml").toFile()).path("operator").path("javaOptions").asText("").trim();
            return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger STARTED = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Extra JVM options for the operator from {@code -Dbench.operator.jvm} (space-separated; a profiling hook, e.g.
     * {@code -XX:StartFlightRecording=filename=target/bench/op-{n}.jfr,settings=profile}), {@code {n}} replaced by the number
     * of this start in the run (a restart records apart). None by default.
     */
    private static List<String> profilingOptions() {
        String options = System.getProperty("bench.operator.jvm", "").trim();
        if (options.isEmpty()) {
            return List.of();
        }
        String n = String.valueOf(STARTED.incrementAndGet());
        return java.util.Arrays.stream(options.split("\\s+")).map(o -> o.replace("{n}", n)).toList();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** The log mentions an OutOfMemoryError (with -XX:+ExitOnOutOfMemoryError the JVM also exits). */
    boolean ranOutOfMemory() {
        return log().contains("OutOfMemoryError");
    }

    /** /readyz answers 200; false while the port does not answer yet. */
    private boolean ready() {
        try {
            return get("/readyz").statusCode() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of every sample of {@code name} whose label text passes {@code labels} (e.g. {@code l -> l.contains("area=\"heap\"")}). */
    double metric(String name, Predicate<String> labels) {
        double sum = 0;
        for (String line : get("/metrics").body().split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (m.matches() && m.group(1).equals(name) && labels.test(m.group(2) == null ? "" : m.group(2))) {
                sum += Double.parseDouble(m.group(3));
            }
        }
        return sum;
    }

    /** Writes the operator counted itself ({@code peerwarden_api_writes_total}, every kind and verb). */
    double writes() {
        return metric("peerwarden_api_writes_total", l -> true);
    }

    /** Successful reconciles of the VpnInstance controller. */
    double instanceReconciles() {
        return metric("peerwarden_reconciles_total", l -> l.contains("result=\"success\"") && l.contains("controller=\"vpninstance\""));
    }

    /** Successful reconciles of every controller. */
    double reconciles() {
        return metric("peerwarden_reconciles_total", l -> l.contains("result=\"success\""));
    }

    /** User plus system CPU time of the operator process so far, from /proc/&lt;pid&gt;/stat (clock ticks of 10 ms). */
    double cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count from after it
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            return ticks * 1000.0 / clockTicksPerSecond();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The process's CPU by thread kind (thread names with their numbers taken out: "peer-writer-N", "C2 CompilerThreadN"),
     * from /proc/&lt;pid&gt;/task: where the operator's CPU goes, the JIT compiler and the garbage collector included, which
     * a Java profiler's samples leave out. Threads that ended are not counted.
     */
    java.util.Map<String, Double> cpuMillisByThread() {
        java.util.Map<String, Double> byKind = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    byKind.merge(name, ticks * 1000.0 / clockTicksPerSecond(), Double::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while listed
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byKind;
    }

    private static long clockTicks;

    private static synchronized long clockTicksPerSecond() {
        if (clockTicks == 0) {
            try {
                Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                clockTicks = Long.parseLong(new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
                getconf.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException | NumberFormatException e) {
                clockTicks = 100;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                clockTicks = 100;
            }
        }
        return clockTicks;
    }

    /**
     * Live heap after a full GC, in MiB: {@code jcmd <pid> GC.run} (System.gc(), a full collection with G1), then the
     * heap the operator's own {@code jvm_memory_used_bytes{area="heap"}} reports.
     */
    double liveHeapMiB() {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(process.pid()), "GC.run").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                throw new IllegalStateException("jcmd GC.run failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return metric("jvm_memory_used_bytes", l -> l.contains("area=\"heap\"")) / (1024.0 * 1024.0);
    }

    /** Stops the operator as Kubernetes does (SIGTERM, then SIGKILL after 30 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
