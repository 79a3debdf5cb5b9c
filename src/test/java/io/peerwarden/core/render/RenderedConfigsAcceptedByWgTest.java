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
