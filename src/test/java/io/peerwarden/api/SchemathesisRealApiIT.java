package io.peerwarden.api;

import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.operator.OperatorHarness;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * schemathesis ({@code st}, from PyPI) fuzzes the running API from its own /openapi.json, on the real API server:
 * no server error (5xx), and every answer's status, content type and body as documented. Skips with a message where
 * {@code st} is not installed; under CI=true that fails (.ci/run installs it).
 */
class SchemathesisRealApiIT {

    private static final Pattern CASES = Pattern.compile("(\\d+)\\s+generated");

    private static String st() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "st");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        String message = "schemathesis is not installed: python3 -m pip install schemathesis";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true: a skip is a failure)");
        }
        Assumptions.abort(message);
        return null;
    }

    @Test
    void fuzzingTheDocumentedApiFindsNoServerErrorAndNoUndocumentedAnswer() throws Exception {
        String st = st();
        try (SeedApiFixture fx = new SeedApiFixture("fuzz")) {
            VpnInstance office = fx.create(OperatorHarness.instance("office", "10.24.0.1/24"));
            VpnPeer site = OperatorHarness.peer("branch", "office", "site");
            site.getSpec().setSubnets(List.of("192.168.10.0/24"));
            // the seed's own example id (the document's example body), so WGDashboard's examples reach a peer too
            site.getSpec().setPublicKey("HqcO7P6oLRPYaTCO8iBG/xYJMlSGD1NaMtp6koeY7hA=");
            site = fx.create(site);
            fx.startApi(ConfigTokens.NONE, Duration.ofMillis(200));
            String token = fx.tokenFor("editor", "get", "update");
            Path out = Files.createDirectories(Path.of("target", "schemathesis"));
            Path log = out.resolve("st-run.txt");
            // the real ids, so that fuzzed bodies reach the peer and the API server's own validation, not only 404s
            Path config = out.resolve("schemathesis.toml");
            Files.writeString(config, """
                    [parameters]
                    "path.instanceId" = "%s"
                    "path.peerId" = "%s"
                    "path.configName" = "office"
                    """.formatted(office.getMetadata().getUid(), site.getMetadata().getUid()));
            ProcessBuilder command = new ProcessBuilder(st, "--config-file", config.toAbsolutePath().toString(), "run", fx.uri("/openapi.json").toString(),
                    "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                    "-H", "Authorization: Bearer " + token,
                    "--max-examples", "40", "--seed", "13", "--request-timeout", "30",
                    "--phases", "examples,coverage,fuzzing", "--no-color")
                    .directory(out.toFile()) // its cache (.schemathesis/) stays under target/
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            command.environment().put("SCHEMATHESIS_TELEMETRY", "false");
            long started = System.nanoTime();
            Process process = command.start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                Assertions.fail("st run did not finish in 10 minutes");
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            String output = Files.readString(log, StandardCharsets.UTF_8).replace(token, "<token>");
            Files.writeString(log, output);
            Matcher cases = CASES.matcher(output);
            String generated = cases.find() ? cases.group(1) : "?";
            VpnPeer after = fx.peer("branch");
            System.out.printf("schemathesis: %s test cases in %.0f s, exit %d, branch written %d times (output in %s)%n", generated,
                    seconds, process.exitValue(), after.getMetadata().getGeneration() - 1, log);
            assertThat(output).as(output).doesNotContain("Server error");
            assertThat(process.exitValue()).as(output).isZero();
        }
    }

    static String tail(String text) throws IOException {
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}
