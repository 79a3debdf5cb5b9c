package io.peerwarden.core.node;

import io.peerwarden.core.wg.WgPeerConfig;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The change of a converged interface that a few VpnPeers' events call for, decided without looking at the other
 * peers ({@link PeerMemory#update}).
 *
 * @param upserts       the server-side entries the changed peers should have now (added, or changed in place)
 * @param removes       public keys no peer holds any more: removed from the interface
 * @param retain        public keys of changed peers whose desired state is not settled (pending): left exactly as they are
 * @param routesAdded   site subnets newly routed to the interface → the public key of the peer behind each
 * @param routesRemoved site subnets no peer routes to the interface any more
 */
public record PeerChange(List<WgPeerConfig> upserts, Set<String> removes, Set<String> retain,
                         Map<String, String> routesAdded, Set<String> routesRemoved) {

    public PeerChange {
        upserts = List.copyOf(upserts);
        removes = Set.copyOf(removes);
        retain = Set.copyOf(retain);
        routesAdded = Map.copyOf(routesAdded);
        routesRemoved = Set.copyOf(routesRemoved);
    }

    /** The public keys the change is about (to look up on the live interface). */
    public Set<String> keys() {
        Set<String> keys = new java.util.HashSet<>(removes);
        upserts.forEach(p -> keys.add(p.publicKey()));
        return keys;
    }

    public boolean routesChange() {
        return !routesAdded.isEmpty() || !routesRemoved.isEmpty();
    }
}
