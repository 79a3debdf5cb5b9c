package io.peerwarden.core.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.core.keys.ExternalTools;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.render.ThrowawayWgInterface.Dump;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real wg accepts what we render and ends up with exactly what we rendered: every rendering
 * is loaded into a wireguard-go interface in a throwaway network namespace and read back.
 * Endpoints are IP literals: the test machine has no DNS.
 */
class RenderedConfigsAcceptedByWgTest {

    @BeforeEach
    void requireEnvironment() {
        ThrowawayWgInterface.requireEnvironment();
    }

    @Test
    void serverRenderingIsAppliedExactlyByWgSetconf() throws Exception {
        String serverKey = WireGuardKeys.generatePrivateKey();
        String client = WireGuardKeys.publicKeyOf(WireGuardKeys.generatePrivateKey());
        String site = WireGuardKeys.publicKeyOf(WireGuardKeys.generatePrivateKey());
        String v4Site = WireGuardKeys.publicKeyOf(WireGuardKeys.generatePrivateKey());
        String psk = WireGuardKeys.generatePresharedKey();
        String rendered = WgSetconfRenderer.render(serverKey, 51820, List.of(
                new ServerPeer(client, psk, List.of("10.24.0.2/32", "fd00:24::2/128"), null, null),
                new ServerPeer(site, null, List.of("10.24.0.9/32", "192.168.10.0/24", "fd00:aa::/48"), "[fd00::9]:51820", 25),
                new ServerPeer(v4Site, psk, List.of("10.24.0.10/32"), "192.0.2.7:4500", 0)));

        try (ThrowawayWgInterface wg = ThrowawayWgInterface.start()) {
            wg.setconf(wg.secretFile("server.conf", rendered));

            // wireguard-go lists peers in Go map order (random): compare sections, peers as a set
            List<String> shown = sections(wg.showconf());
            List<String> ours = sections(rendered);
            assertThat(shown.get(0)).isEqualTo(ours.get(0));
            assertThat(shown.subList(1, shown.size())).containsExactlyInAnyOrderElementsOf(ours.subList(1, ours.size()));
            Dump dump = wg.dump();
            assertThat(dump.privateKey()).isEqualTo(serverKey);
            assertThat(dump.publicKey()).isEqualTo(WireGuardKeys.publicKeyOf(serverKey));
            assertThat(dump.listenPort()).isEqualTo("51820");
            assertThat(dump.peers()).containsOnlyKeys(client, site, v4Site);
            assertThat(dump.peers().get(client)).isEqualTo(
                    new Dump.Peer(psk, "(none)", Set.of("10.24.0.2/32", "fd00:24::2/128"), "off"));
            assertThat(dump.peers().get(site)).isEqualTo(
                    new Dump.Peer("(none)", "[fd00::9]:51820", Set.of("10.24.0.9/32", "192.168.10.0/24", "fd00:aa::/48"), "25"));
            assertThat(dump.peers().get(v4Site)).isEqualTo(
                    new Dump.Peer(psk, "192.0.2.7:4500", Set.of("10.24.0.10/32"), "off"));
        }
    }

    @Test
    void dualStackClientRenderingPassesWgQuickStripAndWgSetconf() throws Exception {
        String clientKey = WireGuardKeys.generatePrivateKey();
        String serverKey = WireGuardKeys.generatePrivateKey();
        String psk = WireGuardKeys.generatePresharedKey();
        ClientConfig config = new ClientConfig(clientKey, List.of("10.24.0.2/32", "fd00:24::2/128"),
                List.of("10.24.0.1", "example.internal"), 1420, WireGuardKeys.publicKeyOf(serverKey), psk,
                "198.51.100.1:51820", List.of("10.24.0.0/24", "fd00:24::/64", "192.168.10.0/24"), 25);

        try (ThrowawayWgInterface wg = ThrowawayWgInterface.start()) {
            Dump dump = applyClientConfig(wg, WgQuickConfigRenderer.render(config));
            assertThat(dump.privateKey()).isEqualTo(clientKey);
            assertThat(dump.publicKey()).isEqualTo(WireGuardKeys.publicKeyOf(clientKey));
            assertThat(dump.peers()).containsOnlyKeys(config.serverPublicKey());
            assertThat(dump.peers().get(config.serverPublicKey())).isEqualTo(new Dump.Peer(psk, "198.51.100.1:51820",
                    Set.of("10.24.0.0/24", "fd00:24::/64", "192.168.10.0/24"), "25"));
        }
    }

    @Test
    void clientWithIpv6EndpointAndNoPresharedKeyIsAcceptedByWg() throws Exception {
        String serverPublic = WireGuardKeys.publicKeyOf(WireGuardKeys.generatePrivateKey());
        ClientConfig config = new ClientConfig(WireGuardKeys.generatePrivateKey(), List.of("fd00:24::5/128"), List.of(),
                null, serverPublic, null, "[fd00::1]:51820", List.of("::/0", "0.0.0.0/0"), null);

        try (ThrowawayWgInterface wg = ThrowawayWgInterface.start()) {
            Dump dump = applyClientConfig(wg, WgQuickConfigRenderer.render(config));
            assertThat(dump.peers().get(serverPublic))
                    .isEqualTo(new Dump.Peer("(none)", "[fd00::1]:51820", Set.of("::/0", "0.0.0.0/0"), "off"));
        }
    }

    @Test
    void broughtOwnKeyConfigParsesAsIsAndOnceTheUserInsertsTheirKey() throws Exception {
        String userKey = WireGuardKeys.generatePrivateKey();
        String serverPublic = WireGuardKeys.publicKeyOf(WireGuardKeys.generatePrivateKey());
        String rendered = WgQuickConfigRenderer.render(new ClientConfig(null, List.of("10.24.0.3/32"),
                List.of("10.24.0.1"), null, serverPublic, null, "198.51.100.1:51820", List.of("10.24.0.0/24"), null));

        try (ThrowawayWgInterface wg = ThrowawayWgInterface.start()) {
            assertThat(applyClientConfig(wg, rendered).privateKey()).isEqualTo("(none)");

            String completed = rendered.replace(WgQuickConfigRenderer.PRIVATE_KEY_PLACEHOLDER, "PrivateKey = " + userKey);
            Dump dump = applyClientConfig(wg, completed);
            assertThat(dump.privateKey()).isEqualTo(userKey);
            assertThat(dump.publicKey()).isEqualTo(WireGuardKeys.publicKeyOf(userKey));
            assertThat(dump.peers().get(serverPublic).allowedIPs()).containsExactly("10.24.0.0/24");
        }
    }

    private static List<String> sections(String config) {
        return List.of(config.strip().split("\n\n"));
    }

    private static int files;

    /** What a user's wg-quick does: strip the wg-quick-only keys, then wg setconf. */
    private static Dump applyClientConfig(ThrowawayWgInterface wg, String rendered) throws Exception {
        // wg-quick takes the interface name from the file name, which must end in .conf
        Path conf = wg.secretFile("client" + (++files) + ".conf", rendered);
        String stripped = ExternalTools.run(List.of(ExternalTools.WG_QUICK.toString(), "strip", conf.toString()), null).ok().stdout();
        assertThat(stripped).doesNotContain("Address").doesNotContain("DNS").doesNotContain("MTU");
        wg.setconf(wg.secretFile("client" + files + ".stripped", stripped));
        return wg.dump();
    }
}
