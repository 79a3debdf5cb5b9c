package io.peerwarden.core.firewall;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.peerwarden.api.v1alpha1.AccessRule;
import io.peerwarden.api.v1alpha1.Forwarding;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.Nat;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.firewall.InstanceFirewall.PeerFilter;
import io.peerwarden.core.net.Cidr;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FirewallPlansTest {

    private static VpnInstance instance(List<AccessRule> access, Forwarding forwarding, Nat nat) {
        VpnInstance instance = new VpnInstance();
        instance.setMetadata(new ObjectMetaBuilder().withName("vpn").withNamespace("team").build());
        VpnInstanceSpec spec = new VpnInstanceSpec();
        spec.setAddress(List.of("10.84.0.1/24", "fd84::1/64"));
        spec.setNodeName("n1");
        spec.setAccess(access);
        spec.setForwarding(forwarding);
        spec.setNat(nat);
        instance.setSpec(spec);
        return instance;
    }

    private static VpnPeer peer(String name, String type, List<String> addresses, List<String> subnets, List<AccessRule> access) {
        VpnPeer peer = new VpnPeer();
        peer.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team").build());
        VpnPeerSpec spec = new VpnPeerSpec();
        spec.setInstanceRef(new InstanceRef("vpn"));
        spec.setType(type);
        spec.setSubnets(subnets);
        spec.setAccess(access);
        peer.setSpec(spec);
        VpnPeerStatus status = new VpnPeerStatus();
        status.setAllowedIPs(addresses);
        peer.setStatus(status);
        return peer;
    }

    @Test
    void defaultsAreForwardingOnClientToClientAllowedNoNatNoLimits() {
        InstanceFirewall fw = FirewallPlans.of(instance(null, null, null), "wg0",
                List.of(peer("laptop", "client", List.of("10.84.0.2/32"), null, null)), p -> true);
        assertThat(fw.forwarding()).isTrue();
        assertThat(fw.clientToClient()).isTrue();
        assertThat(fw.nat()).isFalse();
        assertThat(fw.pools()).containsExactly(Cidr.parse("10.84.0.0/24"), Cidr.parse("fd84::/64"));
        assertThat(fw.peers()).singleElement().satisfies(p -> assertThat(p.limited()).isFalse());
        assertThat(NftRules.chains(fw)).as("nothing declared: no chain").isEmpty();
    }

    @Test
    void aPeerWithoutRulesOfItsOwnGetsTheInstanceDefaultAndOwnRulesReplaceIt() {
        List<AccessRule> dflt = List.of(new AccessRule("10.0.0.0/8", null, null));
        List<AccessRule> own = List.of(new AccessRule("192.0.2.1", "tcp", List.of(443)));
        InstanceFirewall fw = FirewallPlans.of(instance(dflt, new Forwarding(true, false), new Nat(true)), "wg0", List.of(
                peer("b-own", "client", List.of("10.84.0.3/32"), null, own),
                peer("a-default", "client", List.of("10.84.0.2/32"), null, List.of())), p -> true);
        assertThat(fw.peers()).extracting(PeerFilter::name).as("by name").containsExactly("a-default", "b-own");
        assertThat(fw.peers().get(0).allow()).singleElement().satisfies(a -> assertThat(a.to()).isEqualTo(Cidr.parse("10.0.0.0/8")));
        assertThat(fw.peers().get(1).allow()).singleElement().satisfies(a -> {
            assertThat(a.to()).isEqualTo(Cidr.parse("192.0.2.1/32"));
            assertThat(a.ports()).containsExactly(443);
        });
        assertThat(fw.clientToClient()).isFalse();
        assertThat(fw.nat()).isTrue();
    }

    @Test
    void aSitesSubnetsAreItsSourcesTooAndPeersNotOnTheInterfaceAreLeftOut() {
        InstanceFirewall fw = FirewallPlans.of(instance(null, null, null), "wg0", List.of(
                peer("branch", "site", List.of("10.84.0.3/32"), List.of("10.85.0.0/24"), List.of(new AccessRule("10.0.0.0/8", null, null))),
                peer("restricted", "client", List.of("10.84.0.4/32"), null, null)), p -> !p.getMetadata().getName().equals("restricted"));
        assertThat(fw.peers()).singleElement().satisfies(p -> {
            assertThat(p.client()).isFalse();
            assertThat(p.sources()).containsExactly(Cidr.parse("10.84.0.3/32"), Cidr.parse("10.85.0.0/24"));
        });
    }
}
