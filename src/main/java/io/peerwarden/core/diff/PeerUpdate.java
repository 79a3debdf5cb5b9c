package io.peerwarden.core.diff;

import java.util.Set;

/**
 * The fields of one live peer that differ from the desired state; null means "leave as is".
 *
 * @param presharedKeyChanged whether the preshared key must be set; then {@code presharedKey} is the new key or
 *                            null to remove it
 */
public record PeerUpdate(String publicKey, Set<String> allowedIps, Integer persistentKeepalive, String endpoint,
                         boolean presharedKeyChanged, String presharedKey) {

    public PeerUpdate {
        allowedIps = allowedIps == null ? null : Set.copyOf(allowedIps);
    }

    @Override
    public String toString() {
        return "PeerUpdate[" + publicKey + (allowedIps != null ? ", allowedIps=" + allowedIps : "")
                + (persistentKeepalive != null ? ", keepalive=" + persistentKeepalive : "")
                + (endpoint != null ? ", endpoint=" + endpoint : "")
                + (presharedKeyChanged ? ", psk=" + (presharedKey == null ? "removed" : "changed") : "") + "]";
    }
}
