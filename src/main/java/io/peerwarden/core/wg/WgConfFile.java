package io.peerwarden.core.wg;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code [Peer]} sections of a WireGuard config file, as {@code wg addconf} reads it: many new peers in one run
 * (one process start for 10,000 peers instead of one per batch), their preshared keys inside the file (which the caller
 * writes to a private file), never in an argument. Only values made of the characters a key, an address or a host name
 * can hold are written, so no value can start a line or a section of its own; a peer with any other value is left out
 * ({@link #writable}) and applied with {@code wg set} arguments instead.
 */
public final class WgConfFile {

    /** The characters a written value may hold (what {@link #safe} checks). */
    static final Pattern SAFE = Pattern.compile("[A-Za-z0-9+/=:.\\[\\]%_-]+");

    private WgConfFile() {
    }

    /** Whether every value of the peer can be written into a config file as it is. */
    public static boolean writable(WgPeerConfig peer) {
        if (!safe(peer.publicKey()) || (peer.presharedKey() != null && !safe(peer.presharedKey()))
                || (peer.endpoint() != null && !safe(peer.endpoint())) || peer.allowedIps().isEmpty()) {
            return false;
        }
        return peer.allowedIps().stream().allMatch(WgConfFile::safe);
    }

    private static boolean safe(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        // the characters of SAFE, checked without a regex (10,000 peers: three values each, twice per apply)
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || c == '=' || c == ':' || c == '.' || c == '[' || c == ']' || c == '%' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The sections of the peers, each {@link #writable}; the text holds preshared keys: write it to a private file only. */
    public static String peers(List<WgPeerConfig> peers) {
        StringBuilder text = new StringBuilder(peers.size() * 160);
        for (WgPeerConfig peer : peers) {
            if (!writable(peer)) {
                throw new IllegalArgumentException("a value of peer " + peer.publicKey() + " cannot be written into a config file");
            }
            text.append("[Peer]\nPublicKey = ").append(peer.publicKey()).append('\n');
            if (peer.presharedKey() != null) {
                text.append("PresharedKey = ").append(peer.presharedKey()).append('\n');
            }
            if (peer.endpoint() != null) {
                text.append("Endpoint = ").append(peer.endpoint()).append('\n');
            }
            if (peer.persistentKeepalive() != 0) {
                text.append("PersistentKeepalive = ").append(peer.persistentKeepalive()).append('\n');
            }
            text.append("AllowedIPs = ").append(peer.allowedIps().size() == 1 ? peer.allowedIps().iterator().next()
                    : String.join(",", peer.allowedIps().stream().sorted().toList())).append('\n');
        }
        return text.toString();
    }
}
