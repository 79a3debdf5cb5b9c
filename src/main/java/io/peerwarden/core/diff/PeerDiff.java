package io.peerwarden.core.diff;

import io.peerwarden.core.net.Endpoint;
import io.peerwarden.core.wg.WgCommands;
import io.peerwarden.core.wg.WgCommands.PeerArgs;
import io.peerwarden.core.wg.WgPeer;
import io.peerwarden.core.wg.WgPeerConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The difference between the peers an interface should have and the peers it has: what to add, which
 * fields of which peers to change, and what to remove — nothing else, so live sessions of unchanged peers
 * are never touched.
 *
 * <ul>
 *   <li>Allowed IPs compare as sets of canonical networks (order and spelling do not matter).</li>
 *   <li>An endpoint is only set when the desired peer has one: a roaming client's endpoint is learned
 *       from its packets, not configured. A DNS-name endpoint cannot be compared with the resolved address
 *       the interface shows; it counts as applied when {@code appliedHostEndpoints} records that exact
 *       text as set for that peer.</li>
 *   <li>Adopt first, prune later: when the desired state is not known to be complete (caches still
 *       syncing), peers the interface has but the desired state lacks are withheld, not removed.
 *       Peers in {@code retain} are neither removed nor changed (their desired state is not settled).</li>
 * </ul>
 */
public final class PeerDiff {

    private final List<WgPeerConfig> adds;
    private final List<PeerUpdate> updates;
    private final List<String> removes;
    private final List<String> withheld;

    private PeerDiff(List<WgPeerConfig> adds, List<PeerUpdate> updates, List<String> removes, List<String> withheld) {
        this.adds = List.copyOf(adds);
        this.updates = List.copyOf(updates);
        this.removes = List.copyOf(removes);
        this.withheld = List.copyOf(withheld);
    }

    /** The full difference, desired state known to be complete. */
    public static PeerDiff between(Collection<WgPeerConfig> desired, Map<String, WgPeer> actual) {
        return between(desired, actual, true, Set.of(), Map.of());
    }

    /**
     * @param complete             whether {@code desired} is the complete desired state; when false nothing is removed
     * @param retain               public keys whose desired state is not settled: left exactly as they are
     * @param appliedHostEndpoints public key → DNS-name endpoint text last set successfully on that peer
     */
    public static PeerDiff between(Collection<WgPeerConfig> desired, Map<String, WgPeer> actual, boolean complete,
                                   Set<String> retain, Map<String, String> appliedHostEndpoints) {
        Map<String, WgPeerConfig> wanted = new LinkedHashMap<>();
        for (WgPeerConfig peer : desired) {
            if (!retain.contains(peer.publicKey())) {
                wanted.put(peer.publicKey(), peer);
            }
        }
        List<WgPeerConfig> adds = new ArrayList<>();
        List<PeerUpdate> updates = new ArrayList<>();
        for (WgPeerConfig want : wanted.values()) {
            WgPeer have = actual.get(want.publicKey());
            if (have == null) {
                adds.add(want);
                continue;
            }
            // the same text is the same network (the usual case: wg shows what was set); else compared canonically
            Set<String> allowedIps = null;
            if (!want.allowedIps().equals(have.allowedIps())) {
                Set<String> wantIps = Cidrs.networks(want.allowedIps());
                allowedIps = wantIps.equals(Cidrs.networks(have.allowedIps())) ? null : wantIps;
            }
            Integer keepalive = want.persistentKeepalive() == have.persistentKeepalive() ? null : want.persistentKeepalive();
            String endpoint = endpointMatches(want, have, appliedHostEndpoints) ? null : want.endpoint();
            boolean pskChanged = !Objects.equals(want.presharedKey(), have.presharedKey());
            if (allowedIps != null || keepalive != null || endpoint != null || pskChanged) {
                updates.add(new PeerUpdate(want.publicKey(), allowedIps, keepalive, endpoint, pskChanged,
                        pskChanged ? want.presharedKey() : null));
            }
        }
        List<String> removes = new ArrayList<>();
        List<String> withheld = new ArrayList<>();
        for (String key : actual.keySet()) {
            if (wanted.containsKey(key) || retain.contains(key)) {
                continue;
            }
            (complete ? removes : withheld).add(key);
        }
        return new PeerDiff(adds, updates, removes, withheld);
    }

    private static boolean endpointMatches(WgPeerConfig want, WgPeer have, Map<String, String> appliedHostEndpoints) {
        if (want.endpoint() == null) {
            return true;
        }
        Optional<Endpoint> wanted = Endpoint.parse(want.endpoint());
        if (wanted.isPresent() && wanted.get().isIpLiteral()) {
            return Endpoint.parse(have.endpoint()).map(Endpoint::canonical).equals(Optional.of(wanted.get().canonical()));
        }
        return have.endpoint() != null && want.endpoint().equals(appliedHostEndpoints.get(want.publicKey()));
    }

    /**
     * The {@code wg set} arguments of this diff, removes first, then changes, then additions (so an allowed IP
     * moving between peers ends where it should).
     *
     * @param pskFile writes a preshared key to a private file and returns its path
     */
    public List<PeerArgs> wgSetArgs(Function<String, Path> pskFile) {
        List<PeerArgs> result = new ArrayList<>();
        for (String key : removes) {
            result.add(new PeerArgs(key, List.of("peer", key, "remove")));
        }
        for (PeerUpdate update : updates) {
            List<String> args = new ArrayList<>(List.of("peer", update.publicKey()));
            if (update.presharedKeyChanged()) {
                args.add("preshared-key");
                args.add((update.presharedKey() == null ? WgCommands.NO_KEY : pskFile.apply(update.presharedKey())).toString());
            }
            if (update.endpoint() != null) {
                args.add("endpoint");
                args.add(update.endpoint());
            }
            if (update.persistentKeepalive() != null) {
                args.add("persistent-keepalive");
                args.add(keepalive(update.persistentKeepalive()));
            }
            if (update.allowedIps() != null) {
                args.add("allowed-ips");
                args.add(String.join(",", update.allowedIps().stream().sorted().toList()));
            }
            result.add(new PeerArgs(update.publicKey(), args));
        }
        for (WgPeerConfig add : adds) {
            List<String> args = new ArrayList<>(List.of("peer", add.publicKey()));
            if (add.presharedKey() != null) {
                args.add("preshared-key");
                args.add(pskFile.apply(add.presharedKey()).toString());
            }
            if (add.endpoint() != null) {
                args.add("endpoint");
                args.add(add.endpoint());
            }
            if (add.persistentKeepalive() != 0) {
                args.add("persistent-keepalive");
                args.add(keepalive(add.persistentKeepalive()));
            }
            args.add("allowed-ips");
            args.add(String.join(",", add.allowedIps().stream().sorted().toList()));
            result.add(new PeerArgs(add.publicKey(), args));
        }
        return result;
    }

    private static String keepalive(int seconds) {
        return seconds == 0 ? "off" : Integer.toString(seconds);
    }

    /** This diff without the given additions (they are applied another way, e.g. {@code wg addconf}). */
    public PeerDiff withoutAdds(Collection<WgPeerConfig> taken) {
        Set<String> keys = new java.util.HashSet<>();
        taken.forEach(p -> keys.add(p.publicKey()));
        return new PeerDiff(adds.stream().filter(p -> !keys.contains(p.publicKey())).toList(), updates, removes, withheld);
    }

    /** A diff of additions only. */
    public static PeerDiff additions(List<WgPeerConfig> adds) {
        return new PeerDiff(adds, List.of(), List.of(), List.of());
    }

    public List<WgPeerConfig> adds() {
        return adds;
    }

    public List<PeerUpdate> updates() {
        return updates;
    }

    public List<String> removes() {
        return removes;
    }

    /** Live peers not in the desired state that were kept because the desired state is not complete yet. */
    public List<String> withheldRemoves() {
        return withheld;
    }

    public boolean isEmpty() {
        return adds.isEmpty() && updates.isEmpty() && removes.isEmpty();
    }

    @Override
    public String toString() {
        return "PeerDiff[adds=" + adds.size() + ", updates=" + updates.size() + ", removes=" + removes.size()
                + ", withheld=" + withheld.size() + "]";
    }
}
