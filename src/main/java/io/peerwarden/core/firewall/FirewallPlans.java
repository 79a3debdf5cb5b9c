package io.peerwarden.core.firewall;

import io.peerwarden.api.v1alpha1.AccessRule;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.firewall.InstanceFirewall.Allow;
import io.peerwarden.core.firewall.InstanceFirewall.PeerFilter;
import io.peerwarden.core.net.Cidr;
import io.peerwarden.core.net.InvalidCidrException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Reads an instance's and its peers' specs into the {@link InstanceFirewall} the agent applies. Pure. */
public final class FirewallPlans {

    private FirewallPlans() {
    }

    /**
     * @param onInterface the peers that are on the interface (or retained there): only their traffic can arrive
     */
    public static InstanceFirewall of(VpnInstance instance, String interfaceName, Collection<VpnPeer> peers,
                                      Predicate<VpnPeer> onInterface) {
        VpnInstanceSpec spec = instance.getSpec();
        List<Cidr> pools = new ArrayList<>();
        for (String address : spec.getAddress() == null ? List.<String>of() : spec.getAddress()) {
            parse(address).map(Cidr::network).ifPresent(pools::add);
        }
        boolean forwarding = spec.getForwarding() == null || spec.getForwarding().enabledOrDefault();
        boolean clientToClient = spec.getForwarding() == null || spec.getForwarding().clientToClientOrDefault();
        boolean nat = spec.getNat() != null && spec.getNat().enabledOrDefault();
        List<Allow> instanceDefault = allows(spec.getAccess());
        List<PeerFilter> filters = new ArrayList<>();
        peers.stream().filter(onInterface).sorted(Comparator.comparing(p -> p.getMetadata().getName())).forEach(peer -> {
            Set<Cidr> sources = new LinkedHashSet<>();
            if (peer.getStatus() != null && peer.getStatus().getAllowedIPs() != null) {
                peer.getStatus().getAllowedIPs().forEach(a -> parse(a).map(Cidr::network).ifPresent(sources::add));
            }
            peer.getSpec().siteSubnets().forEach(s -> parse(s).map(Cidr::network).ifPresent(sources::add));
            List<Allow> own = allows(peer.getSpec().getAccess());
            boolean client = !"site".equals(peer.getSpec().getType());
            filters.add(new PeerFilter(peer.getMetadata().getName(), client, List.copyOf(sources), own.isEmpty() ? instanceDefault : own));
        });
        return new InstanceFirewall(instance.getMetadata().getNamespace(), instance.getMetadata().getName(), interfaceName,
                pools, forwarding, nat, clientToClient, filters);
    }

    /** The valid rules of a spec.access list (validation reports the others; the peer is then not applied). */
    static List<Allow> allows(List<AccessRule> rules) {
        List<Allow> out = new ArrayList<>();
        if (rules == null) {
            return out;
        }
        for (AccessRule rule : rules) {
            if (rule == null || rule.getTo() == null) {
                continue;
            }
            parse(rule.getTo()).ifPresent(to -> out.add(new Allow(to.network(), rule.protocolOrDefault(),
                    rule.getPorts() == null ? List.of() : rule.getPorts().stream().filter(p -> p != null && p > 0 && p < 65536).toList())));
        }
        return out;
    }

    private static java.util.Optional<Cidr> parse(String text) {
        try {
            return java.util.Optional.of(Cidr.parse(text));
        } catch (InvalidCidrException e) {
            return java.util.Optional.empty();
        }
    }
}
