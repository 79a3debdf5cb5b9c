package io.peerwarden.core.firewall;

import io.peerwarden.core.net.Cidr;

import java.util.List;

/**
 * What one instance declares for the node's firewall: forwarding, NAT of its pools, client-to-client traffic and
 * the access rules of its peers.
 *
 * @param pools          the instance's pools (spec.address, as networks)
 * @param forwarding     false: packets forwarded from the interface are dropped
 * @param nat            masquerade traffic from the pools leaving through another interface
 * @param clientToClient false: packets between two client peers' addresses are dropped
 * @param peers          the peers on the interface, in a stable order (by name)
 */
public record InstanceFirewall(String namespace, String instance, String interfaceName, List<Cidr> pools,
                               boolean forwarding, boolean nat, boolean clientToClient, List<PeerFilter> peers) {

    public InstanceFirewall {
        pools = List.copyOf(pools);
        peers = List.copyOf(peers);
    }

    /** One peer as the firewall sees it: its source networks (tunnel addresses, and a site's subnets) and its limits. */
    public record PeerFilter(String name, boolean client, List<Cidr> sources, List<Allow> allow) {
        public PeerFilter {
            sources = List.copyOf(sources);
            allow = List.copyOf(allow);
        }

        /** Whether the peer is limited to {@link #allow} (an empty list means no limit). */
        public boolean limited() {
            return !allow.isEmpty();
        }
    }

    /**
     * One destination a peer may reach.
     *
     * @param protocol tcp, udp, icmp or any
     * @param ports    destination ports; empty: every port
     */
    public record Allow(Cidr to, String protocol, List<Integer> ports) {
        public Allow {
            ports = List.copyOf(ports);
        }
    }

    public boolean hasIPv6() {
        return pools.stream().anyMatch(Cidr::isIPv6);
    }
}
