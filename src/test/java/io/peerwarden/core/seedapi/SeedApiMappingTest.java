package io.peerwarden.core.seedapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.keys.WireGuardKeys;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The seeds' bodies as VpnPeer changes and the API server's refusals as the seeds' answers, without a cluster. */
class SeedApiMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static VpnPeer peer(String type, String privateKey) {
        VpnPeer peer = new VpnPeer();
        peer.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace("ns").withUid("u-1")
                .withCreationTimestamp("2025-10-29T12:45:00Z").build());
        VpnPeerSpec spec = new VpnPeerSpec();
        spec.setInstanceRef(new InstanceRef("office"));
        spec.setType(type);
        peer.setSpec(spec);
        VpnPeerStatus status = new VpnPeerStatus();
        status.setPublicKey(WireGuardKeys.publicKeyOf(privateKey));
        peer.setStatus(status);
        return peer;
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void theWebhooksDenialKeepsItsReasonAndMessage() {
        SeedErrors.Refusal refusal = SeedErrors.fromApiServer("admission webhook \"vpnpeers.vpn.peerwarden.io\" denied the request: "
                + "AllowedIPTaken: Allowed IP already taken by another peer: 10.24.0.10/32 in spec.allowedIPs is held by VpnPeer ns/holder",
                List.of(), List.of());
        assertThat(refusal.reason()).isEqualTo("AllowedIPTaken");
        assertThat(refusal.message()).startsWith("Allowed IP already taken by another peer").endsWith("ns/holder");
        assertThat(SeedErrors.wgDashboardMessage(refusal.reason(), refusal.message())).isEqualTo("Allowed IP already taken by another peer");
    }

    @Test
    void schemaAndCelRefusalsBecomeTheOperatorsReasonWithoutQuotingTheValue() {
        SeedErrors.Refusal list = SeedErrors.fromApiServer("VpnPeer.vpn.peerwarden.io \"p\" is invalid: spec.endpointAllowedIPs: Invalid value: "
                + "\"\\u001b[31mevil\": Endpoint allowed IP format is incorrect", List.of("spec.endpointAllowedIPs[1]"), List.of("x"));
        assertThat(list.reason()).as("not spec.endpoint").isEqualTo("InvalidEndpointAllowedIPs");
        assertThat(list.message()).doesNotContain("evil");
        assertThat(SeedErrors.fromApiServer("is invalid", List.of("spec"), List.of("spec.subnets applies only to site peers: remove it"))
                .reason()).isEqualTo("FieldNotApplicable");
        assertThat(SeedErrors.fromApiServer("is invalid", List.of("spec.mtu"), List.of("should be greater than or equal to 1280")).reason())
                .isEqualTo("InvalidMTU");
        assertThat(SeedErrors.fromApiServer("is invalid", List.of("spec.protocol"), List.of("only protocol wireguard")).reason())
                .isEqualTo("UnsupportedProtocol");
    }

    @Test
    void everyWgDashboardSeedMessageHasItsReason() {
        assertThat(SeedErrors.wgDashboardMessages()).containsOnlyKeys("AllowedIPTaken", "InvalidEndpointAllowedIPs", "InvalidDNS",
                "InvalidMTU", "InvalidKeepalive", "KeyMismatch");
        assertThat(SeedErrors.wgDashboardMessage("WgSetFailed", "Unable to modify interface: No such device"))
                .as("wg's own text").isEqualTo("Unable to modify interface: No such device");
    }

    @Test
    void theSeedBodyBecomesAPatchOfTheSettingsItCanChange() throws Exception {
        String key = WireGuardKeys.generatePrivateKey();
        VpnPeer client = peer("client", key);
        PatchOrRefusal patch = WgDashboardPeers.update(json("""
                {"DNS": "1.1.1.1, 8.8.8.8", "allowed_ip": "10.24.0.3/32", "endpoint_allowed_ip": "0.0.0.0/0", "keepalive": 21,
                 "mtu": "1420", "name": "Donald's Macbook Pro ", "private_key": "%s", "preshared_key": "sHCWzd312NIuNOXyqWwvzBGcYMKPuUmV5s1Qs8wS0kk=",
                 "remote_endpoint": "10.0.2.2", "restricted": false, "endpoint": "(none)", "jobs": [], "status": "stopped"}
                """.formatted(key)), client);
        assertThat(patch.refused()).isFalse();
        assertThat(patch.spec()).containsEntry("dns", List.of("1.1.1.1", "8.8.8.8")).containsEntry("allowedIPs", List.of("10.24.0.3/32"))
                .containsEntry("endpointAllowedIPs", List.of("0.0.0.0/0")).containsEntry("persistentKeepalive", 21)
                .containsEntry("mtu", 1420).containsEntry("displayName", "Donald's Macbook Pro").containsEntry("restricted", null)
                .doesNotContainKeys("endpoint", "presharedKey", "privateKey");
        VpnPeer site = peer("site", key);
        assertThat(WgDashboardPeers.update(json("{\"remote_endpoint\": \"203.0.113.7:51820\"}"), site).spec())
                .containsEntry("endpoint", "203.0.113.7:51820");
        assertThat(WgDashboardPeers.update(json("{\"remote_endpoint\": \"10.0.2.2\"}"), site).spec()).doesNotContainKey("endpoint");
    }

    @Test
    void wgDashboardFormatErrorsAndAForeignPrivateKeyAreRefusedWithTheSeedsMessages() throws Exception {
        VpnPeer client = peer("client", WireGuardKeys.generatePrivateKey());
        assertThat(WgDashboardPeers.update(json("{\"mtu\": \"big\"}"), client).refusal().message()).isEqualTo("MTU format is not correct");
        assertThat(WgDashboardPeers.update(json("{\"keepalive\": 2.5}"), client).refusal().message())
                .isEqualTo("Persistent Keepalive format is not correct");
        assertThat(WgDashboardPeers.update(json("{\"private_key\": \"" + WireGuardKeys.generatePrivateKey() + "\"}"), client).refusal())
                .isEqualTo(new SeedErrors.Refusal("KeyMismatch", "Private key does not match with the public key"));
        assertThat(WgDashboardPeers.update(json("{\"private_key\": \"not a key\"}"), client).refusal().reason()).isEqualTo("KeyMismatch");
    }

    @Test
    void aPeerUpdateSaysNothingWithTheOtherTypesEmptyValuesAndIsRefusedWhenMalformed() throws Exception {
        VpnPeer client = peer("client", WireGuardKeys.generatePrivateKey());
        Map<String, Object> patch = AltostratPeers.update(json("{\"subnets\": [], \"route_all\": true}"), client).spec();
        assertThat(patch).containsEntry("subnets", null).containsEntry("routeAll", true);
        VpnPeer site = peer("site", WireGuardKeys.generatePrivateKey());
        assertThat(AltostratPeers.update(json("{\"subnets\": [\"192.168.1.0/24\"], \"route_all\": false}"), site).spec())
                .containsEntry("subnets", List.of("192.168.1.0/24")).containsEntry("routeAll", null);
        assertThat(AltostratPeers.update(json("{\"route_all\": \"yes\"}"), client).refusal().reason()).isEqualTo("MalformedRequest");
        assertThat(AltostratPeers.update(json("{\"subnets\": [1]}"), site).refusal().reason()).isEqualTo("MalformedRequest");
        assertThat(AltostratPeers.update(json("{\"name\": \"x\"}"), site).refusal().reason()).isEqualTo("MalformedRequest");
        assertThat(AltostratPeers.update(json("{}"), site).spec()).isEmpty();
    }

    @Test
    void thePeerHasEverySeedFieldAndTheConnectedAddressWithoutItsPort() {
        VpnPeer site = peer("site", WireGuardKeys.generatePrivateKey());
        site.getStatus().setConnected(true);
        site.getStatus().setConnectedFrom("[2001:db8::7]:51820");
        Map<String, Object> answer = AltostratPeers.peer(site, Optional.of(new AltostratPeers.Token("t", 60)));
        assertThat(answer).containsOnlyKeys("id", "type", "user_id", "site_id", "subnets", "route_all", "protocol", "connected",
                "connected_from", "token", "token_ttl", "created_at");
        assertThat(answer).containsEntry("id", "u-1").containsEntry("type", "site").containsEntry("connected", true)
                .containsEntry("connected_from", "2001:db8::7").containsEntry("token", "t").containsEntry("token_ttl", 60L)
                .containsEntry("subnets", List.of()).containsEntry("protocol", "wireguard").containsEntry("created_at", "2025-10-29T12:45:00Z");
        site.getStatus().setConnectedFrom("203.0.113.5:4444");
        assertThat(AltostratPeers.peer(site, Optional.empty())).containsEntry("connected_from", "203.0.113.5")
                .containsEntry("token", null).containsEntry("token_ttl", null);
    }
}
