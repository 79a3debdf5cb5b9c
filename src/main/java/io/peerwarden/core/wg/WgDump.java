package io.peerwarden.core.wg;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The parsed output of {@code wg show <if> dump}: a first line for the interface
 * ({@code private-key public-key listen-port fwmark}) and one line per peer
 * ({@code public-key preshared-key endpoint allowed-ips latest-handshake transfer-rx transfer-tx persistent-keepalive}),
 * tab separated, {@code (none)} for absent keys/endpoints/allowed IPs and {@code off} for a zero fwmark or keepalive.
 *
 * <p>The private key is kept so the agent can tell whether it must set it; {@link #toString()} never prints it.
 */
public final class WgDump {

    private static final String NONE = "(none)";
    private static final String OFF = "off";

    private final String privateKey;
    private final String publicKey;
    private final int listenPort;
    private final int fwmark;
    private final Map<String, WgPeer> peers;

    public WgDump(String privateKey, String publicKey, int listenPort, int fwmark, Map<String, WgPeer> peers) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.listenPort = listenPort;
        this.fwmark = fwmark;
        this.peers = Collections.unmodifiableMap(new LinkedHashMap<>(peers));
    }

    public static WgDump parse(String text) {
        String[] lines = text.strip().split("\\R");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new IllegalArgumentException("empty wg dump");
        }
        String[] head = lines[0].split("\t", -1);
        if (head.length != 4) {
            throw new IllegalArgumentException("unexpected interface line in wg dump: " + head.length + " fields");
        }
        Map<String, WgPeer> peers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split("\t", -1);
            if (f.length != 8) {
                throw new IllegalArgumentException("unexpected peer line " + i + " in wg dump: " + f.length + " fields");
            }
            Set<String> allowed = new LinkedHashSet<>();
            if (!NONE.equals(f[3]) && !f[3].isEmpty()) {
                allowed.addAll(Arrays.asList(f[3].split(",")));
            }
            peers.put(f[0], new WgPeer(f[0], orNull(f[1]), orNull(f[2]), allowed,
                    Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), offOrInt(f[7])));
        }
        return new WgDump(orNull(head[0]), orNull(head[1]), Integer.parseInt(head[2]), offOrInt(head[3]), peers);
    }

    private static String orNull(String field) {
        return NONE.equals(field) || field.isEmpty() ? null : field;
    }

    private static int offOrInt(String field) {
        return OFF.equals(field) ? 0 : Integer.parseInt(field);
    }

    /** base64, null when the interface has no private key yet. Never log it. */
    public String privateKey() {
        return privateKey;
    }

    public String publicKey() {
        return publicKey;
    }

    public int listenPort() {
        return listenPort;
    }

    public int fwmark() {
        return fwmark;
    }

    /** By public key, in dump order. */
    public Map<String, WgPeer> peers() {
        return peers;
    }

    @Override
    public String toString() {
        return "WgDump[publicKey=" + publicKey + ", listenPort=" + listenPort + ", fwmark=" + fwmark + ", peers=" + peers.values() + "]";
    }
}
