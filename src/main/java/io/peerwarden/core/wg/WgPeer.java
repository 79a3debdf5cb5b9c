package io.peerwarden.core.wg;

import java.util.Set;

/**
 * One peer as the live interface reports it ({@code wg show <if> dump}).
 *
 * @param presharedKey        base64, or null when none ({@code (none)}); never printed by {@link #toString()}
 * @param endpoint            {@code ip:port} / {@code [ip6]:port}, or null when none
 * @param latestHandshake     seconds since the epoch, 0 when never
 * @param persistentKeepalive seconds, 0 when off
 */
public record WgPeer(String publicKey, String presharedKey, String endpoint, Set<String> allowedIps,
                     long latestHandshake, long receiveBytes, long sentBytes, int persistentKeepalive) {

    public WgPeer {
        allowedIps = Set.copyOf(allowedIps);
    }

    @Override
    public String toString() {
        return "WgPeer[" + publicKey + ", psk=" + (presharedKey == null ? "none" : "set") + ", endpoint=" + endpoint
                + ", allowedIps=" + allowedIps + ", handshake=" + latestHandshake + ", rx=" + receiveBytes
                + ", tx=" + sentBytes + ", keepalive=" + persistentKeepalive + "]";
    }
}
