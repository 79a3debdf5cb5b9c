package io.peerwarden.agent;

import io.peerwarden.cli.NamespaceList;
import io.peerwarden.testing.FreshJvm;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentCommandTest {

    @Test
    void defaultsAndOptionsParse() {
        AgentCommand defaults = new AgentCommand();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.implementation).isEqualTo(Implementation.AUTO);
        assertThat(defaults.resyncInterval).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.counterInterval).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.healthPort).isEqualTo(8081);
        if (System.getenv("WATCH_NAMESPACE") == null) {
            assertThat(defaults.config().namespaces()).as("all namespaces").isEmpty();
        }
        if (System.getenv("KEY_DIR") == null) {
            assertThat(defaults.keyDir).isNull();
        }

        AgentCommand set = new AgentCommand();
        new CommandLine(set).parseArgs("--node-name", "n1", "--namespaces", "vpn, edge,,", "--implementation", "userspace",
                "--resync-interval", "5s", "--counter-interval", "2m", "--key-dir", "/run/pw", "--health-port", "9000");
        assertThat(set.nodeName).isEqualTo("n1");
        assertThat(set.config().namespaces()).containsExactlyInAnyOrder("vpn", "edge");
        assertThat(set.config().nodeName()).isEqualTo("n1");
        assertThat(set.implementation).isEqualTo(Implementation.USERSPACE);
        assertThat(set.resyncInterval).isEqualTo(Duration.ofSeconds(5));
        assertThat(set.counterInterval).isEqualTo(Duration.ofMinutes(2));
        assertThat(set.keyDir).isEqualTo(Path.of("/run/pw"));
        assertThat(set.healthPort).isEqualTo(9000);
    }

    @Test
    void nodeKeysAreReadInTheReleaseNamespaceGivenOrTheAgentsOwn() {
        AgentCommand set = new AgentCommand();
        new CommandLine(set).parseArgs("--node-name", "n1", "--release-namespace", "peerwarden");
        assertThat(set.config().releaseNamespace()).isEqualTo("peerwarden");
        if (System.getenv("POD_NAMESPACE") == null) {
            AgentCommand defaults = new AgentCommand();
            new CommandLine(defaults).parseArgs("--node-name", "n1");
            assertThat(defaults.config().releaseNamespace()).as("unset: the client's namespace").isNull();
        }
    }

    @Test
    void theDriftRepairIntervalIsFiveMinutesUnlessSet() {
        if (System.getenv("DRIFT_REPAIR_INTERVAL") == null) {
            AgentCommand defaults = new AgentCommand();
            new CommandLine(defaults).parseArgs("--node-name", "n1");
            assertThat(defaults.config().driftRepairInterval()).isEqualTo(Duration.ofMinutes(5));
        }
        AgentCommand set = new AgentCommand();
        new CommandLine(set).parseArgs("--node-name", "n1", "--drift-repair-interval", "30s");
        assertThat(set.config().driftRepairInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(set.config().withInterfacePrefix("gw").driftRepairInterval()).as("kept by the withers").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theDeprecatedNamespaceAliasIsGone() {
        assertThatThrownBy(() -> new CommandLine(new AgentCommand()).parseArgs("--namespace", "vpn"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class);
    }

    @Test
    void durationsAreWrittenOneWayAndIsoIsAccepted() {
        AgentCommand iso = new AgentCommand();
        new CommandLine(iso).parseArgs("--resync-interval", "PT30S", "--counter-interval", "500ms");
        assertThat(iso.resyncInterval).isEqualTo(Duration.ofSeconds(30));
        assertThat(iso.counterInterval).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> new CommandLine(new AgentCommand()).parseArgs("--resync-interval", "10"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("e.g. 500ms, 10s, 5m, 1h");
    }

    @Test
    void parsesNamespaceLists() {
        assertThat(NamespaceList.parse("")).isEmpty();
        assertThat(NamespaceList.parse(" , ")).isEmpty();
        assertThat(NamespaceList.parse(null)).isEmpty();
        assertThat(NamespaceList.parse("a")).containsExactly("a");
        assertThat(NamespaceList.parse(" b ,a,b")).containsExactly("a", "b");
    }

    /** What the chart sets: env WATCH_NAMESPACE (comma-separated, empty = all) and KEY_DIR, read in a fresh JVM. */
    @Test
    void namespacesAndKeyDirDefaultFromTheEnvironment() throws Exception {
        assertThat(parsedInFreshJvm(Map.of("WATCH_NAMESPACE", "team-a, team-b", "KEY_DIR", "/run/peerwarden")))
                .isEqualTo("namespaces=[team-a, team-b] keyDir=/run/peerwarden");
        assertThat(parsedInFreshJvm(Map.of("WATCH_NAMESPACE", "")))
                .isEqualTo("namespaces=[] keyDir=null");
        assertThat(parsedInFreshJvm(Map.of("WATCH_NAMESPACE", "team-a"), "--namespaces", "team-c"))
                .as("the option wins over the environment").isEqualTo("namespaces=[team-c] keyDir=null");
    }

    private static String parsedInFreshJvm(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return FreshJvm.run(PrintParsed.class, List.of("WATCH_NAMESPACE", "KEY_DIR"), env, args);
    }

    /** Parses the agent's options as the real entry point does and prints what the agent would use. */
    public static final class PrintParsed {
        public static void main(String[] args) {
            AgentCommand command = new AgentCommand();
            new CommandLine(command).parseArgs(args);
            System.out.println("namespaces=" + command.config().namespaces().stream().sorted().toList() + " keyDir=" + command.keyDir);
        }
    }

    @Test
    void rejectsAnUnknownImplementation() {
        assertThatThrownBy(() -> new CommandLine(new AgentCommand()).parseArgs("--implementation", "openvpn"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("auto, kernel, userspace");
    }

    @Test
    void theInterfacePrefixDefaultsToPwAndMustBeAUsableNameStart() {
        AgentCommand defaults = new AgentCommand();
        new CommandLine(defaults).parseArgs("--node-name", "n1");
        if (System.getenv("INTERFACE_PREFIX") == null) {
            assertThat(defaults.config().interfacePrefix()).isEqualTo("pw");
        }
        AgentCommand set = new AgentCommand();
        new CommandLine(set).parseArgs("--node-name", "n1", "--interface-prefix", "vpn");
        assertThat(set.config().interfacePrefix()).isEqualTo("vpn");
        for (String bad : new String[] {"", "-x", "abcdefghijklmno"}) {
            AgentCommand wrong = new AgentCommand();
            new CommandLine(wrong).parseArgs("--node-name", "n1", "--interface-prefix", bad);
            assertThatThrownBy(wrong::config).as(bad).isInstanceOf(CommandLine.ParameterException.class)
                    .hasMessageContaining("--interface-prefix");
        }
    }

    /** What the chart sets: env INTERFACE_PREFIX, read in a fresh JVM. */
    @Test
    void theInterfacePrefixDefaultsFromTheEnvironment() throws Exception {
        assertThat(FreshJvm.run(PrintPrefix.class, List.of("INTERFACE_PREFIX"), Map.of("INTERFACE_PREFIX", "vpn-"), "--node-name", "n1"))
                .isEqualTo("prefix=vpn-");
        assertThat(FreshJvm.run(PrintPrefix.class, List.of("INTERFACE_PREFIX"), Map.of(), "--node-name", "n1"))
                .isEqualTo("prefix=pw");
    }

    public static final class PrintPrefix {
        public static void main(String[] args) {
            AgentCommand command = new AgentCommand();
            new CommandLine(command).parseArgs(args);
            System.out.println("prefix=" + command.config().interfacePrefix());
        }
    }
}
