package io.peerwarden.core.firewall;

import io.peerwarden.core.firewall.InstanceFirewall.Allow;
import io.peerwarden.core.firewall.InstanceFirewall.PeerFilter;
import io.peerwarden.core.net.Cidr;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chains one instance wants in the agent's table {@code inet peerwarden}: pure, from an {@link InstanceFirewall}.
 * Chain names are {@code <namespace>.<fwd|in|nat>.<interface>} (a namespace has no dot, an interface name is unique
 * on the node), so the agent finds an instance's chains again after a restart.
 * <ul>
 *   <li>{@code fwd}: hook forward, priority -10 (before filter). Forwarding off drops what the interface forwards;
 *   otherwise established traffic passes, client-to-client traffic is dropped when the instance says so, and each
 *   limited peer's sources may reach only its allowed destinations.</li>
 *   <li>{@code in}: hook input, priority -10: the same limits for traffic to the node itself.</li>
 *   <li>{@code nat}: hook postrouting, priority 100 (srcnat): masquerade of the pools leaving through another interface.</li>
 * </ul>
 * A chain with no rule is not wanted. An accept in these chains does not override drops in other tables' chains
 * (nftables evaluates every base chain of a hook; a drop anywhere is final): see docs/troubleshooting.md.
 */
public final class NftRules {

    public static final String FAMILY = "inet";
    public static final String TABLE = "peerwarden";
    public static final int FILTER_PRIO = -10;
    public static final int SRCNAT_PRIO = 100;
    private static final int MAX_COMMENT = 127;

    private NftRules() {
    }

    public static String chainName(String namespace, String kind, String interfaceName) {
        return namespace + "." + kind + "." + interfaceName;
    }

    /** The namespace of one of our chain names, or null when the name is not of that form. */
    public static String namespaceOf(String chain) {
        int dot = chain.indexOf('.');
        return dot > 0 ? chain.substring(0, dot) : null;
    }

    /** The interface of one of our chain names, or null when the name is not of that form. */
    public static String interfaceOf(String chain) {
        int first = chain.indexOf('.');
        int second = first < 0 ? -1 : chain.indexOf('.', first + 1);
        return second < 0 ? null : chain.substring(second + 1);
    }

    public static List<NftChain> chains(InstanceFirewall fw) {
        List<NftChain> chains = new ArrayList<>();
        String iface = fw.interfaceName();
        String fwdName = chainName(fw.namespace(), "fwd", iface);
        List<NftRule> fwd = new ArrayList<>();
        boolean limited = fw.peers().stream().anyMatch(p -> p.limited() && !p.sources().isEmpty());
        if (!fw.forwarding()) {
            fwd.add(rule(fwdName, "forwarding disabled", List.of(iif("==", iface), verdict("drop"))));
        } else {
            boolean isolate = !fw.clientToClient() && fw.peers().stream().filter(PeerFilter::client).count() > 1;
            if (isolate || limited) {
                fwd.add(rule(fwdName, "not from " + iface, List.of(iif("!=", iface), verdict("accept"))));
                fwd.add(rule(fwdName, "established", established()));
            }
            if (isolate) {
                for (boolean v6 : new boolean[] {false, true}) {
                    List<Cidr> clients = new ArrayList<>();
                    fw.peers().stream().filter(PeerFilter::client).forEach(p -> p.sources().stream().filter(c -> c.isIPv6() == v6).forEach(clients::add));
                    if (!clients.isEmpty()) {
                        fwd.add(rule(fwdName, "client to client " + (v6 ? "ipv6" : "ipv4"), List.of(oif("==", iface),
                                addr(v6, "saddr", clients), addr(v6, "daddr", clients), verdict("drop"))));
                    }
                }
            }
            limits(fwd, fwdName, fw);
        }
        if (!fwd.isEmpty()) {
            chains.add(new NftChain(fwdName, "filter", "forward", FILTER_PRIO, "accept", fwd));
        }
        if (limited) {
            String inName = chainName(fw.namespace(), "in", iface);
            List<NftRule> in = new ArrayList<>();
            in.add(rule(inName, "not from " + iface, List.of(iif("!=", iface), verdict("accept"))));
            in.add(rule(inName, "established", established()));
            limits(in, inName, fw);
            chains.add(new NftChain(inName, "filter", "input", FILTER_PRIO, "accept", in));
        }
        if (fw.nat() && fw.forwarding() && !fw.pools().isEmpty()) {
            String natName = chainName(fw.namespace(), "nat", iface);
            List<NftRule> nat = new ArrayList<>();
            for (Cidr pool : fw.pools()) {
                nat.add(rule(natName, "masquerade " + pool, List.of(oif("!=", iface), addr(pool.isIPv6(), "saddr", List.of(pool)),
                        Map.of("masquerade", nullValue()))));
            }
            chains.add(new NftChain(natName, "nat", "postrouting", SRCNAT_PRIO, "accept", nat));
        }
        return chains;
    }

    /** Each limited peer: its allowed destinations accepted, the rest of its sources dropped, per address family. */
    private static void limits(List<NftRule> rules, String chain, InstanceFirewall fw) {
        for (PeerFilter peer : fw.peers()) {
            if (!peer.limited()) {
                continue;
            }
            for (boolean v6 : new boolean[] {false, true}) {
                List<Cidr> sources = peer.sources().stream().filter(c -> c.isIPv6() == v6).toList();
                if (sources.isEmpty()) {
                    continue;
                }
                Set<String> seen = new LinkedHashSet<>();
                for (Allow allow : peer.allow()) {
                    if (allow.to().isIPv6() != v6) {
                        continue;
                    }
                    List<Map<String, Object>> expr = new ArrayList<>();
                    expr.add(addr(v6, "saddr", sources));
                    expr.add(addr(v6, "daddr", List.of(allow.to())));
                    expr.addAll(protocol(allow, v6));
                    expr.add(verdict("accept"));
                    String what = "peer " + peer.name() + " to " + allow.to() + " " + allow.protocol()
                            + (allow.ports().isEmpty() ? "" : " " + allow.ports());
                    NftRule rule = rule(chain, what, expr);
                    if (seen.add(rule.id())) {
                        rules.add(rule);
                    }
                }
                rules.add(rule(chain, "peer " + peer.name() + " other destinations", List.of(addr(v6, "saddr", sources), verdict("drop"))));
            }
        }
    }

    private static List<Map<String, Object>> protocol(Allow allow, boolean v6) {
        List<Map<String, Object>> out = new ArrayList<>();
        String protocol = allow.protocol();
        if ("icmp".equals(protocol)) {
            out.add(match("==", Map.of("meta", Map.of("key", "l4proto")), v6 ? "ipv6-icmp" : "icmp"));
            return out;
        }
        if ("any".equals(protocol) && allow.ports().isEmpty()) {
            return out;
        }
        Object l4 = "any".equals(protocol) ? Map.of("set", List.of("tcp", "udp")) : protocol;
        out.add(match("==", Map.of("meta", Map.of("key", "l4proto")), l4));
        if (!allow.ports().isEmpty()) {
            List<Integer> ports = List.copyOf(new LinkedHashSet<>(allow.ports()));
            out.add(match("==", Map.of("payload", Map.of("protocol", "th", "field", "dport")),
                    ports.size() == 1 ? ports.get(0) : Map.of("set", ports)));
        }
        return out;
    }

    private static List<Map<String, Object>> established() {
        return List.of(match("in", Map.of("ct", Map.of("key", "state")), List.of("established", "related")), verdict("accept"));
    }

    private static Map<String, Object> iif(String op, String iface) {
        return match(op, Map.of("meta", Map.of("key", "iifname")), iface);
    }

    private static Map<String, Object> oif(String op, String iface) {
        return match(op, Map.of("meta", Map.of("key", "oifname")), iface);
    }

    private static Map<String, Object> addr(boolean v6, String field, List<Cidr> cidrs) {
        List<Object> elements = new ArrayList<>();
        for (Cidr c : cidrs) {
            elements.add(c.isHost() ? c.address().toString()
                    : Map.of("prefix", Map.of("addr", c.network().address().toString(), "len", c.prefixLength())));
        }
        return match("==", Map.of("payload", Map.of("protocol", v6 ? "ip6" : "ip", "field", field)),
                elements.size() == 1 ? elements.get(0) : Map.of("set", elements));
    }

    private static Map<String, Object> match(String op, Object left, Object right) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op);
        m.put("left", left);
        m.put("right", right);
        return Map.of("match", m);
    }

    private static Map<String, Object> verdict(String verdict) {
        return Map.of(verdict, nullValue());
    }

    /** JSON null as a map value (Map.of refuses null). */
    private static Object nullValue() {
        return NftJson.NULL;
    }

    /** A rule whose comment is its identity (a digest of chain and expression) and what it is for. */
    static NftRule rule(String chain, String what, List<Map<String, Object>> expr) {
        String id = digest(chain + "\n" + NftJson.canonical(expr));
        String comment = id + " " + what;
        byte[] bytes = comment.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_COMMENT) {
            comment = new String(bytes, 0, MAX_COMMENT - 3, StandardCharsets.UTF_8).replace("\uFFFD", "") + "...";
        }
        return new NftRule(comment, expr, 0);
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "pw" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
