package io.peerwarden;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar's one main class starts each entry point in a fresh JVM and prints its usage: what the
 * container image runs ({@code java -jar peerwarden.jar operator|agent|config}), checked here
 * because the image itself cannot be built on this machine.
 */
class MainEntryPointsTest {

    @ParameterizedTest
    @CsvSource({
            "'--help', 'Usage: peerwarden'",
            "'operator --help', '--leader-election'",
            "'agent --help', '--node-name'",
            "'config --help', '--qr'",
    })
    void eachEntryPointStartsAndPrintsItsUsage(String args, String expected) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args.split(" ")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains(expected);
    }
}
