package io.peerwarden;

import io.peerwarden.testing.FreshJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar's one main class starts each entry point in a fresh JVM and prints its usage: what the
 * container image runs ({@code java -jar peerwarden.jar operator|agent|config}), checked here
 * because the image itself cannot be built on this machine. And a new user's first mistakes (no
 * cluster configured, a server that does not answer) are answered at once with one sentence.
 */
class MainEntryPointsTest {

    @ParameterizedTest
    @CsvSource({
            "'--help', 'Usage: peerwarden'",
            "'operator --help', '--[no-]leader-election'",
            "'agent --help', '--node-name'",
            "'config --help', '--qr'",
            "'share --help', '--revoke'",
    })
    void eachEntryPointStartsAndPrintsItsUsage(String args, String expected) throws IOException, InterruptedException {
        Result result = runMain(Map.of(), args.split(" "));
        assertThat(result.exit).as(result.output).isZero();
        assertThat(result.output).contains(expected);
    }

    /** Without a kubeconfig and outside a pod, each command says what it tried, in one line, at once. */
    @ParameterizedTest
    @ValueSource(strings = {"operator", "config alice", "agent --node-name n1", "share alice"})
    void withoutAnyClusterConfigurationEachCommandSaysWhatItTried(String args, @TempDir Path home) throws Exception {
        Result result = runMain(Map.of("HOME", home.toString()), args.split(" "));
        assertThat(result.exit).as(result.output).isEqualTo(Main.USER_ERROR);
        assertThat(result.output.strip()).as("one line, no stack trace").doesNotContain("\n")
                .startsWith("peerwarden " + args.split(" ")[0] + ": No Kubernetes cluster is configured: ")
                .contains("KUBECONFIG is not set", home.resolve(".kube/config") + " does not exist",
                        "this is not a pod (KUBERNETES_SERVICE_HOST is not set)")
                .doesNotContain("Exception");
        // the regression this guards took 21 s of retries; a fresh JVM on a loaded 2-core machine needs several seconds
        assertThat(result.millis).as("answered without retrying (was 21 s of retries)").isLessThan(12_000);
    }

    @Test
    void aKubeconfigVariableNamingNoFileIsNamed(@TempDir Path dir) throws Exception {
        Result result = runMain(Map.of("HOME", dir.toString(), "KUBECONFIG", dir.toString()), "config", "alice");
        assertThat(result.exit).isEqualTo(Main.USER_ERROR);
        assertThat(result.output.strip()).doesNotContain("\n")
                .startsWith("peerwarden config: No Kubernetes cluster is configured: KUBECONFIG=" + dir + " names no existing file");
    }

    /** A kubeconfig whose server does not answer (a closed port on 127.0.0.1): the URL and the kubeconfig are named. */
    @ParameterizedTest
    @ValueSource(strings = {"operator", "config alice"})
    void anUnreachableServerIsNamed(String args, @TempDir Path dir) throws Exception {
        Path kubeconfig = kubeconfigFor(dir, "https://127.0.0.1:" + closedPort());
        Result result = runMain(Map.of("HOME", dir.toString(), "KUBECONFIG", kubeconfig.toString()), args.split(" "));
        assertThat(result.exit).as(result.output).isEqualTo(Main.USER_ERROR);
        assertThat(result.output.strip()).doesNotContain("\n").doesNotContain("Exception")
                .matches("peerwarden " + args.split(" ")[0] + ": Cannot reach the Kubernetes API server at https://127\\.0\\.0\\.1:\\d+/ \\(from "
                        + kubeconfig + "\\): connection refused\\.");
        assertThat(result.millis).as("a fresh JVM, so a generous bound; the in-process test below holds a tighter one").isLessThan(12_000);
    }

    /** The same in this JVM (fabric8 reads -Dkubeconfig before KUBECONFIG), timed without the JVM's start-up. */
    @Test
    void anUnreachableServerIsReportedWithoutRetrying(@TempDir Path dir) throws Exception {
        Path kubeconfig = kubeconfigFor(dir, "https://127.0.0.1:" + closedPort());
        String previous = System.setProperty("kubeconfig", kubeconfig.toString());
        try {
            StringWriter err = new StringWriter();
            long start = System.nanoTime();
            int exit = Main.commandLine().setErr(new PrintWriter(err, true)).execute("config", "alice");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(exit).isEqualTo(Main.USER_ERROR);
            assertThat(err.toString()).startsWith("peerwarden config: Cannot reach the Kubernetes API server at https://127.0.0.1:");
            // no retries (they took 21 s): well under the client's retry schedule even on a loaded machine
            assertThat(millis).isLessThan(6000);
        } finally {
            if (previous == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", previous);
            }
        }
    }

    /**
     * {@code java -jar target/*.jar} must find one jar, the runnable one: the thin jar is built into
     * target/thin/ and the shaded one written straight to target/ (no original-*.jar beside it).
     */
    @Test
    void targetHoldsOneRunnableJar() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(pom).contains("<outputDirectory>${project.build.directory}/thin</outputDirectory>")
                .contains("<outputFile>${project.build.directory}/${project.build.finalName}.jar</outputFile>");
        List<Path> jars;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).toList();
        }
        if (jars.isEmpty()) {
            return; // not packaged yet (mvn test): the pom check above is what holds
        }
        assertThat(jars).hasSize(1);
        try (JarFile jar = new JarFile(jars.get(0).toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(Main.class.getName());
            assertThat(jar.getEntry("picocli/CommandLine.class")).as("dependencies shaded in").isNotNull();
        }
    }

    static Path kubeconfigFor(Path dir, String server) throws IOException {
        return Files.writeString(dir.resolve("kubeconfig"), String.join("\n",
                "apiVersion: v1", "kind: Config",
                "clusters:", "- name: c", "  cluster: {server: \"" + server + "\"}",
                "contexts:", "- name: ctx", "  context: {cluster: c, user: u}",
                "current-context: ctx",
                "users:", "- name: u", "  user: {token: not-a-real-token}", ""));
    }

    /** A port on 127.0.0.1 that was free a moment ago and that nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    record Result(int exit, String output, long millis) {
    }

    /** Main in a fresh JVM, with no cluster configuration of the machine's leaking in. */
    static Result runMain(Map<String, String> env, String... args) throws IOException, InterruptedException {
        FreshJvm.Result result = FreshJvm.exec(Main.class, List.of("KUBECONFIG", "KUBERNETES_SERVICE_HOST",
                "KUBERNETES_SERVICE_PORT", "KUBERNETES_MASTER", "NODE_NAME", "WATCH_NAMESPACE"), env, args);
        return new Result(result.exit(), result.output(), result.millis());
    }
}
