package io.peerwarden.core.wg;

import java.util.Set;

/**
 * A peer as it should be on the server interface.
 *
 * @param presharedKey        base64 or null for none; never printed by {@link #toString()}
 * @param endpoint            {@code host:port} the server dials, or null when the peer roams (learned from its packets)
 * @param allowedIps          CIDRs, compared as a set
 * @param persistentKeepalive seconds, 0 for off
 */
public record WgPeerConfig(String publicKey, String presharedKey, String endpoint, Set<String> allowedIps,
                           int persistentKeepalive) {

    public WgPeerConfig {
        allowedIps = Set.copyOf(allowedIps);
    }

    @Override
    public String toString() {
        return "WgPeerConfig[" + publicKey + ", psk=" + (presharedKey == null ? "none" : "set") + ", endpoint=" + endpoint
                + ", allowedIps=" + allowedIps + ", keepalive=" + persistentKeepalive + "]";
    }
}
