package io.peerwarden.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a main class of the test classpath in a JVM of its own, for what is read once per process
 * (environment variables defaulting options): the test JVM's own environment cannot be changed.
 */
public final class FreshJvm {

    private FreshJvm() {
    }

    /** What the JVM printed (standard output and error together), its exit code and how long it ran. */
    public record Result(int exit, String output, long millis) {
    }

    /** Runs {@code main} with {@code args}, without the environment variables {@code unset} and with {@code env} added. */
    public static Result exec(Class<?> main, List<String> unset, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        unset.forEach(builder.environment()::remove);
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** {@link #exec}, which must exit 0; returns what it printed, stripped. */
    public static String run(Class<?> main, List<String> unset, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Result result = exec(main, unset, env, args);
        assertThat(result.exit()).as(result.output()).isZero();
        return result.output().strip();
    }
}
