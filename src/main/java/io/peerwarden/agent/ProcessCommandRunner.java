package io.peerwarden.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands with {@link ProcessBuilder} (argv, no shell), captures stdout and stderr, and keeps a log of the
 * invocations (without the prefix) that tests read to prove which commands ran. Arguments never hold secrets
 * (keys go through files), so the log and debug lines are safe.
 *
 * <p>An optional prefix runs everything elsewhere, e.g. {@code ip netns exec NS} (tests; empty in production).
 */
public final class ProcessCommandRunner implements CommandRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessCommandRunner.class);
    /**
     * wg retries a DNS name endpoint that fails with a temporary error 15 times with back-off (about 90 s),
     * blocking the whole pass; the agent retries on its next pass anyway. An operator can still set the variable.
     */
    static final String WG_RETRIES_ENV = "WG_ENDPOINT_RESOLUTION_RETRIES";

    private final List<String> prefix;
    private final Map<String, String> env;
    private final Duration timeout;
    private final List<List<String>> invocations = Collections.synchronizedList(new ArrayList<>());

    public ProcessCommandRunner() {
        this(List.of(), Duration.ofMinutes(2));
    }

    public ProcessCommandRunner(List<String> prefix, Duration timeout) {
        this.prefix = List.copyOf(prefix);
        this.timeout = timeout;
        Map<String, String> e = new HashMap<>();
        if (System.getenv(WG_RETRIES_ENV) == null) {
            e.put(WG_RETRIES_ENV, "0");
        }
        this.env = Map.copyOf(e);
    }

    @Override
    public Result run(List<String> argv) {
        invocations.add(List.copyOf(argv));
        List<String> full = new ArrayList<>(prefix);
        full.addAll(argv);
        long start = System.nanoTime();
        try {
            ProcessBuilder builder = new ProcessBuilder(full);
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String stdout = read(process.getInputStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(124, stdout, "timed out after " + timeout.toSeconds() + "s: " + argv.get(0));
            }
            Result result = new Result(process.exitValue(), stdout, stderr.join());
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} -> {} in {} ms", argv.size() > 12 ? argv.subList(0, 12) + "..." : argv, result.exitCode(),
                        (System.nanoTime() - start) / 1_000_000);
            }
            return result;
        } catch (IOException e) {
            return new Result(127, "", "cannot run " + argv.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "", "interrupted while running " + argv.get(0));
        }
    }

    @Override
    public Process start(List<String> argv, Map<String, String> extraEnv, Path log) throws IOException {
        invocations.add(List.copyOf(argv));
        List<String> full = new ArrayList<>(prefix);
        full.addAll(argv);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        builder.environment().putAll(extraEnv);
        return builder.start();
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Every command run so far, in order, without the prefix. */
    public List<List<String>> invocations() {
        synchronized (invocations) {
            return List.copyOf(invocations);
        }
    }

    public void clearInvocations() {
        invocations.clear();
    }
}
