package io.peerwarden.agent;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end through real tunnels: the agent applies an instance in a "server" namespace; a client in its own
 * namespace (joined by a veth pair) brings up wireguard-go from a wg-quick style client config and pings the
 * server through the tunnel; a site in a third namespace is reached from the server through the route the agent adds.
 */
class TunnelIT {

    private static final String NODE = "node-a";

    @RegisterExtension
    final DataplaneFixture dataplane = new DataplaneFixture();
    private NetNs server;
    private NetNs client;
    private NetNs site;
    private FakeOperator operator;

    @BeforeEach
    void setUp() {
        server = dataplane.netns("pwsrv");
        client = dataplane.netns("pwcli");
        site = dataplane.netns("pwsite");
        server.veth("vc0", "10.98.0.1/24", client, "vc1", "10.98.0.2/24");
        server.veth("vs0", "10.99.0.1/24", site, "vs1", "10.99.0.2/24");
        site.exec("ip", "address", "add", "10.85.0.1/32", "dev", "lo"); // a host on the site's network
    }

    private static boolean connected(VpnPeer peer) {
        return peer != null && peer.getStatus() != null && Boolean.TRUE.equals(peer.getStatus().getConnected());
    }

    @Test
    void clientPingsThroughTheTunnelAndTheSiteSubnetIsRouted() throws IOException {
        operator = dataplane.add(new FakeOperator());
        String serverIf = DataplaneFixture.interfaceName("pws");
        TestKeys serverKey = TestKeys.generate();
        operator.instance("vpn", NODE, serverIf, List.of("10.84.0.1/24"), 51840, serverKey);
        TestKeys laptop = TestKeys.generate();
        String psk = TestKeys.presharedKey();
        operator.peer("laptop", "vpn", laptop.publicKey(), List.of("10.84.0.2/32"), psk, FakeOperator.client());
        TestKeys branch = TestKeys.generate();
        operator.peer("branch", "vpn", branch.publicKey(), List.of("10.84.0.3/32"), null,
                FakeOperator.site(List.of("10.85.0.0/24"), "10.99.0.2:51841", 25));

        dataplane.startAgent(operator.client, server, NODE, Set.of(FakeOperator.NS));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(Conditions.isTrue(operator.get("laptop").getStatus().getConditions(), ConditionTypes.READY)).isTrue();
            assertThat(Conditions.isTrue(operator.get("branch").getStatus().getConditions(), ConditionTypes.READY)).isTrue();
        });

        // the client, from its config (written here as the operator renders it; the rendered Secret can replace it)
        String clientIf = DataplaneFixture.interfaceName("pwc");
        dataplane.bringUpClient(client, clientIf, """
                [Interface]
                PrivateKey = %s
                Address = 10.84.0.2/32

                [Peer]
                PublicKey = %s
                PresharedKey = %s
                Endpoint = 10.98.0.1:51840
                AllowedIPs = 10.84.0.0/24
                """.formatted(laptop.privateKey(), serverKey.publicKey(), psk));
        // the site, listening where the server dials it
        String siteIf = DataplaneFixture.interfaceName("pwx");
        dataplane.bringUpClient(site, siteIf, """
                [Interface]
                PrivateKey = %s
                Address = 10.84.0.3/32
                ListenPort = 51841

                [Peer]
                PublicKey = %s
                Endpoint = 10.99.0.1:51840
                AllowedIPs = 10.84.0.0/24
                """.formatted(branch.privateKey(), serverKey.publicKey()));

        await().atMost(Duration.ofSeconds(20)).until(() -> client.execResult("ping", "-c", "1", "-W", "1", "10.84.0.1").ok());
        // the site's network, through the route the agent added
        assertThat(server.exec("ip", "-4", "route", "show", "dev", serverIf)).contains("10.85.0.0/24");
        await().atMost(Duration.ofSeconds(20)).until(() -> server.execResult("ping", "-c", "1", "-W", "1", "10.85.0.1").ok());
        client.exec("ping", "-c", "3", "-i", "0.2", "-W", "1", "10.84.0.1");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            VpnPeer peer = operator.get("laptop");
            assertThat(connected(peer)).isTrue();
            assertThat(peer.getStatus().getConnectedFrom()).startsWith("10.98.0.2:");
            assertThat(peer.getStatus().getLatestHandshake()).isNotNull();
            assertThat(peer.getStatus().getTransfer().getReceiveBytes()).isPositive();
            assertThat(peer.getStatus().getTransfer().getSentBytes()).isPositive();
            assertThat(Conditions.isTrue(peer.getStatus().getConditions(), ConditionTypes.CONNECTED)).isTrue();
            assertThat(Conditions.isTrue(peer.getStatus().getConditions(), ConditionTypes.READY)).isTrue();

            VpnPeer sitePeer = operator.get("branch");
            assertThat(connected(sitePeer)).isTrue();
            assertThat(sitePeer.getStatus().getConnectedFrom()).isEqualTo("10.99.0.2:51841");
            assertThat(sitePeer.getStatus().getTransfer().getReceiveBytes()).isPositive();
        });
        assertThat(Map.of("instance", operator.getInstance("vpn").getStatus().getImplementation())).containsEntry("instance", "userspace");
    }
}
