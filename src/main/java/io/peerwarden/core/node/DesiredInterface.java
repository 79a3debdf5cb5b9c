package io.peerwarden.core.node;

import io.peerwarden.core.wg.WgPeerConfig;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one server interface should look like.
 *
 * @param owner      recorded as the link's alias, so the agent finds its interfaces again after a restart
 * @param privateKey base64; never printed by {@link #toString()}
 * @param mtu        null: leave the interface default
 * @param routes     site subnet (CIDR) → public key of the peer behind it
 * @param complete   whether the peers are the complete desired set (caches synced): only then are others removed
 * @param retain     public keys whose desired state is not settled yet: left exactly as they are live
 */
public record DesiredInterface(String name, String owner, String privateKey, int listenPort, List<String> addresses,
                               Integer mtu, List<WgPeerConfig> peers, Map<String, String> routes, boolean complete,
                               Set<String> retain) {

    public DesiredInterface {
        addresses = List.copyOf(addresses);
        peers = List.copyOf(peers);
        routes = Map.copyOf(routes);
        retain = Set.copyOf(retain);
    }

    @Override
    public String toString() {
        return "DesiredInterface[" + name + ", owner=" + owner + ", port=" + listenPort + ", addresses=" + addresses
                + ", mtu=" + mtu + ", peers=" + peers.size() + ", routes=" + routes.keySet() + ", complete=" + complete + "]";
    }
}
