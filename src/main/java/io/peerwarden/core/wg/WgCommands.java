package io.peerwarden.core.wg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Argument vectors for {@code wg} and {@code ip} (run without a shell). Keys never appear in an argument:
 * the caller writes each secret to a private file and passes its path ({@code private-key /path},
 * {@code preshared-key /path}), since {@code /proc/<pid>/cmdline} is world-readable.
 */
public final class WgCommands {

    /** Removes a peer's preshared key: wg reads an empty file as "no key". */
    public static final Path NO_KEY = Path.of("/dev/null");
    /**
     * Routes the agent adds carry this protocol number (not {@code static} or {@code boot}, which admins, networkd
     * and other tools use), so it lists and removes only its own.
     */
    public static final String ROUTE_PROTO = "152";

    private WgCommands() {
    }

    /** The arguments of one peer inside a {@code wg set} invocation, starting with {@code peer <key>}. */
    public record PeerArgs(String publicKey, List<String> args) {
        public PeerArgs {
            args = List.copyOf(args);
        }
    }

    /** One {@code wg set IF peer A ... peer B ...} invocation and the peers it carries. */
    public record PeerBatch(List<PeerArgs> peers, List<String> argv) {
        public PeerBatch {
            peers = List.copyOf(peers);
            argv = List.copyOf(argv);
        }
    }

    /** {@code wg set IF peer A ... peer B ...}, one invocation per batch of at most {@code batchSize} peers, in order. */
    public static List<PeerBatch> wgSetPeers(String iface, List<PeerArgs> peers, int batchSize) {
        List<PeerBatch> batches = new ArrayList<>();
        for (int from = 0; from < peers.size(); from += batchSize) {
            List<PeerArgs> batch = peers.subList(from, Math.min(peers.size(), from + batchSize));
            List<String> argv = new ArrayList<>(List.of("wg", "set", iface));
            batch.forEach(peer -> argv.addAll(peer.args()));
            batches.add(new PeerBatch(batch, argv));
        }
        return batches;
    }

    /** {@code wg set IF [listen-port N] [private-key FILE]}; null arguments are left out. */
    public static List<String> wgSetInterface(String iface, Integer listenPort, Path privateKeyFile) {
        List<String> argv = new ArrayList<>(List.of("wg", "set", iface));
        if (listenPort != null) {
            argv.add("listen-port");
            argv.add(listenPort.toString());
        }
        if (privateKeyFile != null) {
            argv.add("private-key");
            argv.add(privateKeyFile.toString());
        }
        return argv;
    }

    /** {@code wg addconf IF FILE}: adds the peers of a config file ({@link WgConfFile}) to those the interface has. */
    public static List<String> wgAddconf(String iface, Path file) {
        return List.of("wg", "addconf", iface, file.toString());
    }

    public static List<String> wgShowDump(String iface) {
        return List.of("wg", "show", iface, "dump");
    }

    /** Details (kind, mtu, flags, alias) of one link as JSON; fails when the link does not exist. */
    public static List<String> ipLinkShow(String iface) {
        return List.of("ip", "-d", "-j", "link", "show", "dev", iface);
    }

    /** All links with details as JSON (to find the interfaces the agent manages by their alias). */
    public static List<String> ipLinkShowAll() {
        return List.of("ip", "-d", "-j", "link", "show");
    }

    public static List<String> ipLinkAddWireguard(String iface) {
        return List.of("ip", "link", "add", "dev", iface, "type", "wireguard");
    }

    public static List<String> ipLinkDel(String iface) {
        return List.of("ip", "link", "del", "dev", iface);
    }

    public static List<String> ipLinkSetAlias(String iface, String alias) {
        return List.of("ip", "link", "set", "dev", iface, "alias", alias);
    }

    public static List<String> ipLinkSetMtu(String iface, int mtu) {
        return List.of("ip", "link", "set", "dev", iface, "mtu", Integer.toString(mtu));
    }

    public static List<String> ipLinkSetUp(String iface) {
        return List.of("ip", "link", "set", "dev", iface, "up");
    }

    public static List<String> ipAddressShow(String iface) {
        return List.of("ip", "-j", "address", "show", "dev", iface);
    }

    public static List<String> ipAddressAdd(String iface, String cidr) {
        return List.of("ip", "address", "add", cidr, "dev", iface);
    }

    public static List<String> ipAddressDel(String iface, String cidr) {
        return List.of("ip", "address", "del", cidr, "dev", iface);
    }

    /** Routes of one family ({@code -4} / {@code -6}) the agent added on the interface, as JSON. */
    public static List<String> ipRouteShow(String family, String iface) {
        return List.of("ip", family, "-j", "route", "show", "dev", iface, "proto", ROUTE_PROTO);
    }

    /** Every route of the main table for exactly this prefix, whoever added it, as JSON. */
    public static List<String> ipRouteShowExact(String family, String cidr) {
        return List.of("ip", family, "-j", "route", "show", "exact", cidr);
    }

    /** Adds a route marked as the agent's; fails (never replaces) when one exists for the prefix with the same metric. */
    public static List<String> ipRouteAdd(String iface, String cidr) {
        return List.of("ip", "route", "add", cidr, "dev", iface, "proto", ROUTE_PROTO);
    }

    /** Deletes a route only when it is the agent's: on its link, with its protocol. */
    public static List<String> ipRouteDel(String iface, String cidr) {
        return List.of("ip", "route", "del", cidr, "dev", iface, "proto", ROUTE_PROTO);
    }

    public static List<String> wireguardGo(String iface) {
        return List.of("wireguard-go", iface);
    }
}
