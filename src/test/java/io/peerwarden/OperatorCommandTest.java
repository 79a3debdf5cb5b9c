package io.peerwarden;

import io.peerwarden.testing.FreshJvm;
import io.peerwarden.operator.OperatorSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code peerwarden operator}'s options: defaults shown in --help, durations as the agent writes them, negatable booleans. */
class OperatorCommandTest {

    private static OperatorSettings parsed(String... args) {
        OperatorCommand command = new OperatorCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void defaults() {
        OperatorSettings defaults = parsed();
        assertThat(defaults.resync()).isEqualTo(Duration.ofMinutes(10));
        assertThat(defaults.threads()).isEqualTo(10);
        assertThat(defaults.writeConcurrency()).isEqualTo(8);
        if (System.getenv("LEADER_ELECTION") == null) {
            assertThat(defaults.leaderElection()).isTrue();
        }
        if (System.getenv("HEALTH_PORT") == null) {
            assertThat(defaults.healthPort()).isEqualTo(8080);
        }
    }

    @Test
    void nodeKeysArePublishedInTheReleaseNamespaceElseTheLeasesElseTheClients() {
        assertThat(parsed("--release-namespace", "pw", "--lease-namespace", "lease").releaseNamespaceOr("client")).isEqualTo("pw");
        if (System.getenv("POD_NAMESPACE") == null) {
            assertThat(parsed("--lease-namespace", "lease").releaseNamespaceOr("client")).isEqualTo("lease");
            assertThat(parsed().releaseNamespaceOr("client")).isEqualTo("client");
        }
    }

    @Test
    void leaderElectionIsNegatableAndKeepsTheExplicitForm() {
        assertThat(parsed("--no-leader-election").leaderElection()).isFalse();
        assertThat(parsed("--leader-election").leaderElection()).isTrue();
        assertThat(parsed("--leader-election=false").leaderElection()).isFalse();
        assertThat(parsed("--leader-election=true").leaderElection()).isTrue();
    }

    /** The chart turns leader election off with env LEADER_ELECTION=false: read in a fresh JVM. */
    @Test
    void leaderElectionDefaultsFromTheEnvironment() throws Exception {
        assertThat(parsedInFreshJvm(Map.of("LEADER_ELECTION", "false"))).isEqualTo("leaderElection=false");
        assertThat(parsedInFreshJvm(Map.of("LEADER_ELECTION", "false"), "--leader-election")).isEqualTo("leaderElection=true");
        assertThat(parsedInFreshJvm(Map.of())).isEqualTo("leaderElection=true");
        assertThat(parsedInFreshJvm(Map.of(), "--no-leader-election")).isEqualTo("leaderElection=false");
    }

    private static String parsedInFreshJvm(Map<String, String> env, String... args) throws Exception {
        return FreshJvm.run(PrintParsed.class, List.of("LEADER_ELECTION"), env, args);
    }

    /** Parses the operator's options as the real entry point does and prints what the operator would use. */
    public static final class PrintParsed {
        public static void main(String[] args) {
            System.out.println("leaderElection=" + parsed(args).leaderElection());
        }
    }

    @Test
    void durationsAreWrittenAsTheAgentWritesThemAndIsoIsAccepted() {
        assertThat(parsed("--resync", "90s").resync()).isEqualTo(Duration.ofSeconds(90));
        assertThat(parsed("--resync", "PT10M").resync()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void helpShowsEachDefault() {
        StringWriter help = new StringWriter();
        new CommandLine(new OperatorCommand()).usage(new PrintWriter(help));
        assertThat(help.toString()).contains("Default: 10m", "Default: 10", "Default: 8", "--[no-]leader-election");
    }

    @Test
    void thePolicyFileIsReadAndAMissingOneIsTheDefaults(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("policy.yaml"), "interfacePrefix: vpn\nlistenPorts: {min: 40000, max: 40001}\n");

        assertThat(parsed("--policy-file", file.toString()).policy().interfacePrefix()).isEqualTo("vpn");
        assertThat(parsed("--policy-file", dir.resolve("absent.yaml").toString()).policy())
                .isEqualTo(io.peerwarden.core.policy.InstallPolicy.defaults());
    }

    @Test
    void aBadPolicyFileStopsTheOperatorAtStartWithOneLineNamingTheField(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("policy.yaml"), "listenPorts: {min: 52000, max: 51000}\n");
        StringWriter err = new StringWriter();
        CommandLine line = Main.commandLine();
        line.setErr(new PrintWriter(err));

        int exit = line.execute("operator", "--policy-file", file.toString());

        assertThat(exit).isEqualTo(Main.USER_ERROR);
        assertThat(err.toString().strip()).doesNotContain("\n")
                .isEqualTo("peerwarden operator: invalid install policy: policy.listenPorts is 52000-51000: use 1 <= min <= max <= 65535");
    }
}
