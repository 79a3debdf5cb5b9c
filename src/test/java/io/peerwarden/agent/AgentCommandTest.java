package io.peerwarden.agent;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;

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
        assertThat(defaults.namespace).isNull();

        AgentCommand set = new AgentCommand();
        new CommandLine(set).parseArgs("--node-name", "n1", "--namespace", "vpn", "--implementation", "userspace",
                "--resync-interval", "5s", "--counter-interval", "2m", "--key-dir", "/run/pw", "--health-port", "9000");
        assertThat(set.nodeName).isEqualTo("n1");
        assertThat(set.implementation).isEqualTo(Implementation.USERSPACE);
        assertThat(set.resyncInterval).isEqualTo(Duration.ofSeconds(5));
        assertThat(set.counterInterval).isEqualTo(Duration.ofMinutes(2));
        assertThat(set.keyDir).isEqualTo(Path.of("/run/pw"));
        assertThat(set.healthPort).isEqualTo(9000);
    }

    @Test
    void rejectsAnUnknownImplementation() {
        assertThatThrownBy(() -> new CommandLine(new AgentCommand()).parseArgs("--implementation", "openvpn"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("auto, kernel, userspace");
    }
}
