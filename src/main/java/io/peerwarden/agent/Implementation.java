package io.peerwarden.agent;

import java.util.Locale;

/** How the node runs a WireGuard interface. {@link #AUTO}: the kernel module, else wireguard-go. */
public enum Implementation {
    AUTO, KERNEL, USERSPACE;

    /** The value reported in VpnInstance status.implementation. */
    public String statusValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
