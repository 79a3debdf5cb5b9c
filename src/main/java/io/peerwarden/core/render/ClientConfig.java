package io.peerwarden.core.render;

import java.util.List;

/**
 * Everything in a client's (or site's) wg-quick config. Lists are copied and never null (null
 * becomes empty); their order is kept in the rendering.
 *
 * @param privateKey          the peer's private key; null when the user brought their own key
 * @param addresses           the peer's tunnel addresses with prefix, e.g. 10.24.0.2/32
 * @param dns                 DNS servers and search domains; empty: no DNS line
 * @param mtu                 null: no MTU line
 * @param serverPublicKey     the instance's public key
 * @param presharedKey        null: no PresharedKey line
 * @param endpoint            host:port the peer dials, IPv6 in brackets
 * @param allowedIPs          what the peer routes into the tunnel
 * @param persistentKeepalive null or 0: no PersistentKeepalive line
 */
public record ClientConfig(
        String privateKey,
        List<String> addresses,
        List<String> dns,
        Integer mtu,
        String serverPublicKey,
        String presharedKey,
        String endpoint,
        List<String> allowedIPs,
        Integer persistentKeepalive) {

    public ClientConfig {
        addresses = ConfigValues.copy(addresses);
        dns = ConfigValues.copy(dns);
        allowedIPs = ConfigValues.copy(allowedIPs);
    }

    /** Keys are secrets: the private and preshared keys are never printed. */
    @Override
    public String toString() {
        return "ClientConfig[privateKey=" + (privateKey == null ? "none (brought own key)" : "<redacted>")
                + ", addresses=" + addresses + ", dns=" + dns + ", mtu=" + mtu
                + ", serverPublicKey=" + serverPublicKey
                + ", presharedKey=" + (presharedKey == null ? "none" : "<redacted>")
                + ", endpoint=" + endpoint + ", allowedIPs=" + allowedIPs
                + ", persistentKeepalive=" + persistentKeepalive + "]";
    }
}
