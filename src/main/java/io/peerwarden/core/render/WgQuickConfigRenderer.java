package io.peerwarden.core.render;

/**
 * Renders a {@link ClientConfig} as a wg-quick config file. The output is a pure function of the
 * input (same record, same bytes, "\n" line endings, trailing newline), so the operator can
 * compare renderings to decide whether a Secret needs writing.
 */
public final class WgQuickConfigRenderer {

    /**
     * Written instead of the PrivateKey line when the user brought their own key. Replacing this
     * line with {@code PrivateKey = <key>} gives a config that wg-quick and wg accept.
     */
    public static final String PRIVATE_KEY_PLACEHOLDER =
            "# PrivateKey = <your private key: you registered your own public key, so Peerwarden never saw it>";

    private WgQuickConfigRenderer() {
    }

    /** @throws IllegalArgumentException when a value is missing or could not be written safely */
    public static String render(ClientConfig config) {
        StringBuilder out = new StringBuilder(512);
        out.append("[Interface]\n");
        if (config.privateKey() == null) {
            out.append(PRIVATE_KEY_PLACEHOLDER).append('\n');
        } else {
            line(out, "PrivateKey", ConfigValues.key(config.privateKey(), "privateKey"));
        }
        if (config.addresses().isEmpty()) {
            throw new IllegalArgumentException("addresses must not be empty");
        }
        line(out, "Address", ConfigValues.list(config.addresses(), "addresses"));
        if (!config.dns().isEmpty()) {
            line(out, "DNS", ConfigValues.list(config.dns(), "dns"));
        }
        if (config.mtu() != null) {
            line(out, "MTU", Integer.toString(ConfigValues.range(config.mtu(), 1, 65535, "mtu")));
        }

        out.append("\n[Peer]\n");
        line(out, "PublicKey", ConfigValues.key(config.serverPublicKey(), "serverPublicKey"));
        if (config.presharedKey() != null) {
            line(out, "PresharedKey", ConfigValues.key(config.presharedKey(), "presharedKey"));
        }
        line(out, "Endpoint", ConfigValues.endpoint(config.endpoint(), "endpoint"));
        if (config.allowedIPs().isEmpty()) {
            throw new IllegalArgumentException("allowedIPs must not be empty");
        }
        line(out, "AllowedIPs", ConfigValues.list(config.allowedIPs(), "allowedIPs"));
        Integer keepalive = config.persistentKeepalive();
        if (keepalive != null && ConfigValues.range(keepalive, 0, 65535, "persistentKeepalive") != 0) {
            line(out, "PersistentKeepalive", keepalive.toString());
        }
        return out.toString();
    }

    static void line(StringBuilder out, String key, String value) {
        out.append(key).append(" = ").append(value).append('\n');
    }
}
