package io.peerwarden.demo;

import io.peerwarden.agent.Privileged;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The first-run demo works as the README promises: Ready peers and a handshake through a real tunnel. */
class DemoTest {

    @Test
    void theDemoShowsReadyPeersAHandshakeAndAClientConfig() throws Exception {
        Privileged.require();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (Demo demo = new Demo(new PrintStream(buffer, true, StandardCharsets.UTF_8))) {
            demo.run();
        }
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("ping 10.24.0.1 (the server) through the tunnel: ok").contains("latest handshake 20");
        assertThat(output.lines().filter(l -> l.startsWith("alice ")).findFirst().orElseThrow())
                .contains("client").contains("10.24.0.2/32").contains("true").contains("True");
        assertThat(output.lines().filter(l -> l.startsWith("intruder ")).findFirst().orElseThrow()).contains("AllowedIPTaken");
        assertThat(output).contains("[Interface]").contains("PrivateKey = ").contains("Endpoint = vpn.example.com:51820");
    }
}
