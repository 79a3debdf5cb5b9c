package io.peerwarden.core.render;

import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.keys.ExternalTools;
import io.peerwarden.core.render.ThrowawayWgInterface.Dump;
import io.peerwarden.operator.OperatorHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.peerwarden.operator.OperatorHarness.decoded;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the operator writes into a peer's Secret is a config the real tools accept: wg-quick strip,
 * then wg setconf on a userspace interface, with the keys and routes the status promises.
 */
class OperatorConfigSecretsAcceptedByWgTest {

    @BeforeAll
    static void requireTools() {
        ThrowawayWgInterface.requireEnvironment();
    }

    @Test
    void clientAndSiteConfigSecretsLoadIntoARealInterface() throws Exception {
        try (OperatorHarness harness = new OperatorHarness().startOperator()) {
            VpnInstance office = instance("office", "10.24.0.1/24", "fd00:24::1/64");
            // loopback endpoint: wg setconf resolves it, and nothing could ever leave this machine
            office.getSpec().setEndpoint("127.0.0.1");
            office.getSpec().setDns(List.of("10.24.0.1", "corp.example"));
            office.getSpec().setMtu(1420);
            harness.create(office);
            VpnPeer laptop = peer("laptop", "office", "client");
            laptop.getSpec().setRouteAll(true);
            harness.create(laptop);
            VpnPeer site = peer("branch", "office", "site");
            site.getSpec().setSubnets(List.of("192.168.50.0/24"));
            site.getSpec().setPersistentKeepalive(25);
            harness.create(site);

            String serverKey = harness.awaitInstance("office", i -> i.getStatus() != null && i.getStatus().getPublicKey() != null)
                    .getStatus().getPublicKey();
            VpnPeer laptopNow = harness.awaitPeer("laptop", rendered());
            VpnPeer siteNow = harness.awaitPeer("branch", rendered());

            Dump laptopDump = load(decoded(harness.secret("laptop-wireguard").orElseThrow(), Labels.CONFIG));
            assertThat(laptopDump.publicKey()).isEqualTo(laptopNow.getStatus().getPublicKey());
            assertThat(laptopDump.peers()).containsOnlyKeys(serverKey);
            assertThat(laptopDump.peers().get(serverKey).allowedIPs()).containsExactlyInAnyOrder("0.0.0.0/0", "::/0");
            assertThat(laptopDump.peers().get(serverKey).endpoint()).isEqualTo("127.0.0.1:51830");
            assertThat(laptopDump.peers().get(serverKey).presharedKey()).isNotEqualTo("(none)");

            Dump siteDump = load(decoded(harness.secret("branch-wireguard").orElseThrow(), Labels.CONFIG));
            assertThat(siteDump.publicKey()).isEqualTo(siteNow.getStatus().getPublicKey());
            assertThat(siteDump.peers().get(serverKey).allowedIPs()).containsExactlyInAnyOrder("10.24.0.0/24", "fd00:24::/64");
            assertThat(siteDump.peers().get(serverKey).persistentKeepalive()).isEqualTo("25");
        }
    }

    private static int files;

    private static Dump load(String config) throws Exception {
        try (ThrowawayWgInterface wg = ThrowawayWgInterface.start()) {
            Path conf = wg.secretFile("peer" + (++files) + ".conf", config);
            String stripped = ExternalTools.run(List.of(ExternalTools.WG_QUICK.toString(), "strip", conf.toString()), null).ok().stdout();
            wg.setconf(wg.secretFile("peer" + files + ".stripped", stripped));
            return wg.dump();
        }
    }
}
