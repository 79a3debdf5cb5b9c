package io.peerwarden.core.keys;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs real tools for compatibility tests: always as an argument vector (never through a shell),
 * secrets only on stdin or in 0600 files. Missing tools skip a test locally and fail it when
 * {@code CI=true}, so a CI image without wireguard-tools can never pass silently.
 */
public final class ExternalTools {

    public static final Path WG = Path.of("/usr/bin/wg");
    public static final Path WG_QUICK = Path.of("/usr/bin/wg-quick");
    public static final Path WIREGUARD_GO = Path.of("/usr/bin/wireguard-go");
    public static final Path IP = Path.of("/usr/sbin/ip");
    public static final Path TUN = Path.of("/dev/net/tun");

    private ExternalTools() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (locally) or fails (CI=true) the current test when the condition does not hold. */
    public static void require(boolean condition, String whatIsMissing) {
        if (condition) {
            return;
        }
        if (inCi()) {
            fail(whatIsMissing + " (CI=true: environment tests must run in CI, not be skipped)");
        }
        Assumptions.abort("Skipped: " + whatIsMissing + " (set CI=true to turn this skip into a failure)");
    }

    public static void requireExecutable(Path tool) {
        require(Files.isExecutable(tool), tool + " is not installed or not executable");
    }

    public static void requireRoot() {
        Result id = run(List.of("id", "-u"), null);
        require(id.exitCode() == 0 && id.stdout().strip().equals("0"),
                "not running as root (network namespaces and interfaces need root)");
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("command failed with exit code " + exitCode + ": " + stderr.strip());
            }
            return this;
        }
    }

    /** Runs a command to completion (30 s at most), feeding {@code stdin} when not null. */
    public static Result run(List<String> command, String stdin) {
        Process process = start(command);
        try {
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("command timed out: " + command.get(0));
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new AssertionError("I/O with " + command.get(0) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command.get(0), e);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Starts a long-running command with its output discarded; the caller must destroy it. */
    public static Process startBackground(List<String> command) {
        try {
            return new ProcessBuilder(new ArrayList<>(command))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command.get(0), e);
        }
    }

    private static Process start(List<String> command) {
        try {
            return new ProcessBuilder(new ArrayList<>(command)).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command.get(0), e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
