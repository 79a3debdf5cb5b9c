package io.peerwarden.core.node;

import io.peerwarden.core.diff.Cidrs;
import io.peerwarden.core.diff.PeerDiff;
import io.peerwarden.core.diff.PeerUpdate;
import io.peerwarden.core.wg.WgPeer;
import io.peerwarden.core.wg.WgPeerConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The peers an interface shows after {@code wg} accepted a change, told without reading it back: what it showed before,
 * with the change applied the way WireGuard applies it. The agent uses this instead of a second {@code wg show dump}
 * when every command of a pass succeeded; what it tells is checked against a real dump on the next status pass.
 *
 * <ul>
 *   <li>A removed peer is gone; an added or changed peer has the desired keys, allowed IPs and keepalive, and keeps the
 *       handshake and counters it had (none for a new peer).</li>
 *   <li>An endpoint is the desired one when the peer has one, else the one the peer had (a roaming client's).</li>
 *   <li>An allowed IP belongs to one peer at a time: setting it on a peer takes it from whichever peer had it, as
 *       WireGuard does, so a collision shows as the losing peer no longer having it.</li>
 * </ul>
 */
public final class AppliedPeers {

    private AppliedPeers() {
    }

    /** One peer after {@code wg} set it to {@code want}; {@code before} is how it was shown, null for a new peer. */
    public static WgPeer applied(WgPeerConfig want, WgPeer before) {
        return new WgPeer(want.publicKey(), want.presharedKey(),
                want.endpoint() != null ? want.endpoint() : before == null ? null : before.endpoint(),
                Cidrs.networks(want.allowedIps()), before == null ? 0 : before.latestHandshake(),
                before == null ? 0 : before.receiveBytes(), before == null ? 0 : before.sentBytes(), want.persistentKeepalive());
    }

    /**
     * The interface's peers after the whole diff was applied: removes, then updates, then additions, in the order
     * {@code wg} applies them. {@code skipped} peers (their command failed) are left as they were.
     *
     * @param before  the peers as shown before the pass
     * @param desired the desired peers the diff was made from (the source of the updated peers' settings)
     * @return a new mutable map
     */
    public static Map<String, WgPeer> after(Map<String, WgPeer> before, PeerDiff diff, List<WgPeerConfig> desired,
                                            Set<String> skipped) {
        Map<String, WgPeer> view = new LinkedHashMap<>(before);
        for (String key : diff.removes()) {
            if (!skipped.contains(key)) {
                view.remove(key);
            }
        }
        List<WgPeerConfig> set = new ArrayList<>(diff.updates().size() + diff.adds().size());
        if (!diff.updates().isEmpty()) {
            Map<String, WgPeerConfig> byKey = new HashMap<>();
            desired.forEach(p -> byKey.put(p.publicKey(), p));
            for (PeerUpdate update : diff.updates()) {
                WgPeerConfig want = byKey.get(update.publicKey());
                if (want != null) {
                    set.add(want);
                }
            }
        }
        set.addAll(diff.adds());
        if (set.isEmpty()) {
            return view;
        }
        Map<String, String> owners = new HashMap<>();
        view.forEach((key, peer) -> peer.allowedIps().forEach(ip -> owners.put(Cidrs.network(ip), key)));
        for (WgPeerConfig want : set) {
            if (skipped.contains(want.publicKey())) {
                continue;
            }
            WgPeer now = applied(want, view.get(want.publicKey()));
            for (String ip : now.allowedIps()) {
                String owner = owners.put(ip, want.publicKey());
                if (owner != null && !owner.equals(want.publicKey())) {
                    view.computeIfPresent(owner, (k, loser) -> without(loser, ip));
                }
            }
            view.put(want.publicKey(), now);
        }
        return view;
    }

    private static WgPeer without(WgPeer peer, String network) {
        Set<String> left = new HashSet<>();
        for (String ip : peer.allowedIps()) {
            if (!Cidrs.network(ip).equals(network)) {
                left.add(ip);
            }
        }
        return new WgPeer(peer.publicKey(), peer.presharedKey(), peer.endpoint(), left, peer.latestHandshake(),
                peer.receiveBytes(), peer.sentBytes(), peer.persistentKeepalive());
    }
}
