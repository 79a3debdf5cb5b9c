package io.peerwarden.core.node;

import io.peerwarden.api.v1alpha1.VpnPeer;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The peers of one converged interface as last planned, kept between passes so that a few VpnPeers' events become
 * the change of exactly their server-side entries ({@link PeerChange}) in O(changed peers): each changed peer is planned
 * again with {@link DesiredState#planPeer} (the one rule), the others are not looked at. Built from a full plan
 * ({@link #of}); a full pass replaces it. Not thread-safe: the agent's loop owns it.
 */
public final class PeerMemory {

    /**
     * What one peer contributes to the interface.
     *
     * @param key     the public key it holds on the interface (desired, or retained while pending), null when none
     * @param subnets the site subnets routed to the interface for it
     */
    public record Entry(PeerDisposition disposition, String key, List<String> subnets) {
        public Entry {
            subnets = List.copyOf(subnets);
        }
    }

    private final Map<String, Entry> byPeer = new HashMap<>();
    /** public key → how many peers hold it (a key held by another peer is never removed). */
    private final Map<String, Integer> holders = new HashMap<>();
    /** site subnet → how many peers route it. */
    private final Map<String, Integer> routed = new HashMap<>();

    private PeerMemory() {
    }

    /** The key of a peer in the memory: namespace/name. */
    public static String peerKey(VpnPeer peer) {
        return peer.getMetadata().getNamespace() + "/" + peer.getMetadata().getName();
    }

    /** From the plan a full pass applied, for the peers it was planned from. */
    public static PeerMemory of(InterfacePlan plan, Collection<VpnPeer> peers) {
        PeerMemory memory = new PeerMemory();
        for (VpnPeer peer : peers) {
            PeerDisposition disposition = plan.peers().get(peer.getMetadata().getName());
            if (disposition != null) {
                memory.hold(peerKey(peer), entry(peer, disposition));
            }
        }
        return memory;
    }

    /** The entry of a peer (namespace/name), or null. */
    public Entry get(String peerKey) {
        return byPeer.get(peerKey);
    }

    public int size() {
        return byPeer.size();
    }

    /**
     * Plans the changed peers again and returns what changes on the interface; the memory then holds their new state.
     *
     * @param changed namespace/name → the peer as cached now, or null when it is gone (deleted, or moved to another instance)
     */
    public PeerChange update(Map<String, VpnPeer> changed, NodeKeys.Lookup keys) {
        Map<String, io.peerwarden.core.wg.WgPeerConfig> upserts = new LinkedHashMap<>();
        Set<String> released = new LinkedHashSet<>();
        Set<String> retain = new HashSet<>();
        Set<String> oldSubnets = new LinkedHashSet<>();
        Map<String, String> newSubnets = new LinkedHashMap<>();
        for (Map.Entry<String, VpnPeer> change : changed.entrySet()) {
            Entry old = byPeer.remove(change.getKey());
            if (old != null) {
                release(old);
                if (old.key() != null) {
                    released.add(old.key());
                }
                oldSubnets.addAll(old.subnets());
            }
            VpnPeer peer = change.getValue();
            if (peer == null) {
                continue;
            }
            Entry now = entry(peer, DesiredState.planPeer(peer, keys));
            hold(change.getKey(), now);
            if (now.disposition().kind() == PeerDisposition.Kind.DESIRED) {
                upserts.put(now.key(), now.disposition().config());
            } else if (now.key() != null) {
                retain.add(now.key());
            }
            now.subnets().forEach(s -> newSubnets.put(s, now.key()));
        }
        Set<String> removes = new LinkedHashSet<>();
        for (String key : released) {
            if (!holders.containsKey(key)) {
                removes.add(key);
            }
        }
        Map<String, String> routesAdded = new LinkedHashMap<>();
        newSubnets.forEach((subnet, key) -> {
            if (!oldSubnets.contains(subnet)) {
                routesAdded.put(subnet, key);
            }
        });
        Set<String> routesRemoved = new LinkedHashSet<>();
        for (String subnet : oldSubnets) {
            if (!newSubnets.containsKey(subnet) && !routed.containsKey(subnet)) {
                routesRemoved.add(subnet);
            }
        }
        // a retained key is left alone whoever else changed: never in upserts or removes
        upserts.keySet().removeAll(retain);
        removes.removeAll(retain);
        return new PeerChange(List.copyOf(upserts.values()), removes, retain, routesAdded, routesRemoved);
    }

    /** The peer's contribution as {@link DesiredState#plan} computes it: desired, or left as it is while pending. */
    private static Entry entry(VpnPeer peer, PeerDisposition disposition) {
        List<String> subnets = peer.getSpec() != null ? peer.getSpec().siteSubnets() : List.of();
        if (disposition.kind() == PeerDisposition.Kind.DESIRED) {
            return new Entry(disposition, disposition.config().publicKey(), subnets);
        }
        if (disposition.kind() == PeerDisposition.Kind.PENDING) {
            String key = peer.getStatus() == null ? null : peer.getStatus().getPublicKey();
            return new Entry(disposition, key, key == null ? List.of() : subnets);
        }
        return new Entry(disposition, null, List.of());
    }

    private void hold(String peerKey, Entry entry) {
        byPeer.put(peerKey, entry);
        if (entry.key() != null) {
            holders.merge(entry.key(), 1, Integer::sum);
        }
        entry.subnets().forEach(s -> routed.merge(s, 1, Integer::sum));
    }

    private void release(Entry entry) {
        if (entry.key() != null) {
            holders.computeIfPresent(entry.key(), (k, n) -> n <= 1 ? null : n - 1);
        }
        entry.subnets().forEach(s -> routed.computeIfPresent(s, (k, n) -> n <= 1 ? null : n - 1));
    }
}
