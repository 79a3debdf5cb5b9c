package io.peerwarden.core.render;

import java.util.List;

/**
 * One [Peer] section of the server interface.
 *
 * @param publicKey           the peer's public key
 * @param presharedKey        null: none
 * @param allowedIPs          the peer's addresses and, for a site, the subnets behind it; may be empty
 * @param endpoint            host:port where the server reaches the peer (sites); null: none
 * @param persistentKeepalive null or 0: none
 */
public record ServerPeer(
        String publicKey,
        String presharedKey,
        List<String> allowedIPs,
        String endpoint,
        Integer persistentKeepalive) {

    public ServerPeer {
        allowedIPs = ConfigValues.copy(allowedIPs);
    }

    /** The preshared key is a secret and never printed. */
    @Override
    public String toString() {
        return "ServerPeer[publicKey=" + publicKey
                + ", presharedKey=" + (presharedKey == null ? "none" : "<redacted>")
                + ", allowedIPs=" + allowedIPs + ", endpoint=" + endpoint
                + ", persistentKeepalive=" + persistentKeepalive + "]";
    }
}
