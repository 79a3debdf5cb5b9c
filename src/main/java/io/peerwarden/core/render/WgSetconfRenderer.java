package io.peerwarden.core.render;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders the server side of an interface in the format of {@code wg setconf} / {@code wg showconf}
 * (no wg-quick keys such as Address). Lines come in the order {@code wg showconf} prints them, so
 * a rendering can be compared with what the kernel reports. Deterministic: peers in the given order.
 */
public final class WgSetconfRenderer {

    private WgSetconfRenderer() {
    }

    /**
     * @param privateKey the interface's private key (required)
     * @param listenPort null: no ListenPort line (wg picks a random port)
     * @param peers      in the order to render; public keys must be distinct
     * @throws IllegalArgumentException when a value is missing, duplicated or could not be written safely
     */
    public static String render(String privateKey, Integer listenPort, List<ServerPeer> peers) {
        StringBuilder out = new StringBuilder(256 + 192 * (peers == null ? 0 : peers.size()));
        out.append("[Interface]\n");
        if (listenPort != null) {
            WgQuickConfigRenderer.line(out, "ListenPort", Integer.toString(ConfigValues.range(listenPort, 1, 65535, "listenPort")));
        }
        WgQuickConfigRenderer.line(out, "PrivateKey", ConfigValues.key(privateKey, "privateKey"));

        Set<String> seen = new HashSet<>();
        List<ServerPeer> list = peers == null ? List.of() : peers;
        for (int i = 0; i < list.size(); i++) {
            ServerPeer peer = list.get(i);
            String field = "peers[" + i + "]";
            if (peer == null) {
                throw new IllegalArgumentException(field + " is null");
            }
            String publicKey = ConfigValues.key(peer.publicKey(), field + ".publicKey");
            if (!seen.add(publicKey)) {
                throw new IllegalArgumentException(field + ".publicKey " + publicKey + " appears more than once");
            }
            out.append("\n[Peer]\n");
            WgQuickConfigRenderer.line(out, "PublicKey", publicKey);
            if (peer.presharedKey() != null) {
                WgQuickConfigRenderer.line(out, "PresharedKey", ConfigValues.key(peer.presharedKey(), field + ".presharedKey"));
            }
            if (!peer.allowedIPs().isEmpty()) {
                WgQuickConfigRenderer.line(out, "AllowedIPs", ConfigValues.list(peer.allowedIPs(), field + ".allowedIPs"));
            }
            if (peer.endpoint() != null) {
                WgQuickConfigRenderer.line(out, "Endpoint", ConfigValues.endpoint(peer.endpoint(), field + ".endpoint"));
            }
            Integer keepalive = peer.persistentKeepalive();
            if (keepalive != null && ConfigValues.range(keepalive, 0, 65535, field + ".persistentKeepalive") != 0) {
                WgQuickConfigRenderer.line(out, "PersistentKeepalive", keepalive.toString());
            }
        }
        return out.toString();
    }
}
