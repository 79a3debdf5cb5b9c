package io.peerwarden.core.wg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The parsed JSON output of {@code ip -j ... show} (links, addresses, routes), as {@link WgDump} is for
 * {@code wg show dump}. Empty output is an empty list; output that is not JSON is an {@link IllegalStateException}.
 */
public final class IpShow {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IpShow() {
    }

    /**
     * One link of {@code ip -d -j link show}.
     *
     * @param infoKind the link type ({@code wireguard} for the kernel module), empty when ip shows none
     * @param alias    the link alias, empty when none
     */
    public record Link(String name, String infoKind, int mtu, boolean up, String alias) {

        /** {@code kernel} for the kernel module's link type, else {@code userspace} (wireguard-go's tun device). */
        public String implementation() {
            return "wireguard".equals(infoKind) ? "kernel" : "userspace";
        }
    }

    /** The links of {@code ip -d -j link show [dev IF]}, in output order. */
    public static List<Link> links(String text) {
        List<Link> links = new ArrayList<>();
        for (JsonNode node : read(text)) {
            boolean up = false;
            for (JsonNode flag : node.path("flags")) {
                up |= "UP".equals(flag.asText());
            }
            links.add(new Link(node.path("ifname").asText(), node.path("linkinfo").path("info_kind").asText(),
                    node.path("mtu").asInt(), up, node.path("ifalias").asText("")));
        }
        return links;
    }

    /**
     * The addresses of {@code ip -j address show} as {@code local/prefixlen}, without IPv6 link-local ones
     * (the kernel's, not configured).
     */
    public static Set<String> addresses(String text) {
        Set<String> addresses = new LinkedHashSet<>();
        for (JsonNode link : read(text)) {
            for (JsonNode info : link.path("addr_info")) {
                if (!"link".equals(info.path("scope").asText())) {
                    addresses.add(info.path("local").asText() + "/" + info.path("prefixlen").asInt());
                }
            }
        }
        return addresses;
    }

    /**
     * One route of {@code ip -j route show}.
     *
     * @param dev      the device, empty when ip shows none (a blackhole or a multipath route)
     * @param protocol as ip prints it (a name from rt_protos, else the number), empty when none
     */
    public record Route(String dst, String dev, String protocol) {
    }

    /** The routes of {@code ip -j route show ...}, in output order. */
    public static List<Route> routes(String text) {
        List<Route> routes = new ArrayList<>();
        for (JsonNode route : read(text)) {
            routes.add(new Route(route.path("dst").asText(), route.path("dev").asText(""), route.path("protocol").asText("")));
        }
        return routes;
    }

    /** The destinations of {@code ip -j route show}, as ip prints them. */
    public static Set<String> routeDestinations(String text) {
        Set<String> destinations = new LinkedHashSet<>();
        for (JsonNode route : read(text)) {
            destinations.add(route.path("dst").asText());
        }
        return destinations;
    }

    private static List<JsonNode> read(String text) {
        try {
            JsonNode tree = JSON.readTree(text.isBlank() ? "[]" : text);
            List<JsonNode> nodes = new ArrayList<>();
            tree.forEach(nodes::add);
            return nodes;
        } catch (IOException e) {
            // not the parser's message: it quotes the input
            throw new IllegalStateException("unexpected output of ip -j: not a JSON array (" + text.length() + " characters)");
        }
    }
}
