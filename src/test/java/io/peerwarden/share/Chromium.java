package io.peerwarden.share;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, headless, as a visitor of a page: a screenshot or the DOM after scripts ran. Each
 * run has a fresh profile directory (removed afterwards) and no background networking, so it makes only the
 * requests the page asks for. Where chromium is missing the test skips with a message; under CI=true it fails.
 */
final class Chromium {

    private static final Path BINARY = Path.of("/usr/bin/chromium");

    private Chromium() {
    }

    static Optional<String> problem() {
        return Files.isExecutable(BINARY) ? Optional.empty()
                : Optional.of(BINARY + " is missing: apt-get install chromium (.ci/run installs it)");
    }

    static void require() {
        Optional<String> problem = problem();
        if (problem.isEmpty()) {
            return;
        }
        String message = "browser test needs headless Chromium: " + problem.get();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true: a skip is a failure)");
        }
        Assumptions.abort(message);
    }

    /** A PNG screenshot of {@code url} at width x height CSS pixels, one device pixel each. */
    static void screenshot(String url, Path png, int width, int height) throws IOException, InterruptedException {
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, url));
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
    }

    /** The page's DOM as chromium rendered it. */
    static String dumpDom(String url) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", url));
    }

    private static String run(List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("peerwarden-chromium-");
        Path stderr = Files.createTempFile("peerwarden-chromium-", ".log");
        try {
            List<String> argv = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars", "--force-device-scale-factor=1", "--no-first-run", "--no-default-browser-check",
                    "--disable-background-networking", "--disable-extensions", "--disable-sync", "--disable-component-update",
                    "--user-data-dir=" + profile));
            argv.addAll(args);
            Process process = new ProcessBuilder(argv).redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("chromium did not finish within 90 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + process.exitValue() + ": " + Files.readString(stderr));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(stderr);
            try (Stream<Path> files = Files.walk(profile)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
