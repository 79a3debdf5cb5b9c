package io.peerwarden.core.render;

import static io.peerwarden.core.render.TestKeys.CLIENT_PUBLIC;
import static io.peerwarden.core.render.TestKeys.PSK;
import static io.peerwarden.core.render.TestKeys.SERVER_PRIVATE;
import static io.peerwarden.core.render.TestKeys.SITE_PUBLIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WgSetconfRendererTest {

    static List<ServerPeer> clientAndSite() {
        return List.of(
                new ServerPeer(CLIENT_PUBLIC, PSK, List.of("10.24.0.2/32", "fd00:24::2/128"), null, null),
                new ServerPeer(SITE_PUBLIC, null, List.of("10.24.0.9/32", "192.168.10.0/24", "192.168.11.0/24"),
                        "[fd00::9]:51820", 25));
    }

    @Test
    void rendersTheServerInterfaceInWgShowconfOrder() {
        assertThat(WgSetconfRenderer.render(SERVER_PRIVATE, 51820, clientAndSite())).isEqualTo("""
                [Interface]
                ListenPort = 51820
                PrivateKey = XasIfmJKikt54X+Lg4AO5m87sSkmGLb9HC+LJ/+I4Os=

                [Peer]
                PublicKey = hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=
                PresharedKey = AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=
                AllowedIPs = 10.24.0.2/32, fd00:24::2/128

                [Peer]
                PublicKey = ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=
                AllowedIPs = 10.24.0.9/32, 192.168.10.0/24, 192.168.11.0/24
                Endpoint = [fd00::9]:51820
                PersistentKeepalive = 25
                """);
    }

    @Test
    void withoutListenPortOrPeersOnlyTheKeyIsWritten() {
        assertThat(WgSetconfRenderer.render(SERVER_PRIVATE, null, List.of())).isEqualTo("""
                [Interface]
                PrivateKey = XasIfmJKikt54X+Lg4AO5m87sSkmGLb9HC+LJ/+I4Os=
                """);
    }

    @Test
    void aPeerWithoutAllowedIPsHasNoAllowedIPsLine() {
        assertThat(WgSetconfRenderer.render(SERVER_PRIVATE, 51820,
                List.of(new ServerPeer(CLIENT_PUBLIC, null, List.of(), null, 0))))
                .endsWith("[Peer]\nPublicKey = " + CLIENT_PUBLIC + "\n");
    }

    @Test
    void aPublicKeyListedTwiceIsRejected() {
        List<ServerPeer> peers = List.of(new ServerPeer(CLIENT_PUBLIC, null, List.of("10.24.0.2/32"), null, null),
                new ServerPeer(CLIENT_PUBLIC + "\n", null, List.of("10.24.0.3/32"), null, null));
        assertThatThrownBy(() -> WgSetconfRenderer.render(SERVER_PRIVATE, 51820, peers))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("peers[1].publicKey").hasMessageContaining("more than once");
    }

    @Test
    void aListenPortOutOfRangeIsRejected() {
        assertThatThrownBy(() -> WgSetconfRenderer.render(SERVER_PRIVATE, 0, List.of()))
                .hasMessage("listenPort must be 1-65535, not 0");
    }

    @Test
    void toStringNeverShowsThePresharedKey() {
        assertThat(clientAndSite().get(0).toString()).doesNotContain(PSK).contains("<redacted>");
    }
}
