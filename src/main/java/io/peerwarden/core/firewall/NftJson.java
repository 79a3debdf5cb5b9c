package io.peerwarden.core.firewall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.NullNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** nftables JSON ({@code nft -j}): reading {@code list table}/{@code list chains}, writing a command batch. Pure. */
public final class NftJson {

    /** JSON null as a value in expression maps ({@code {"accept": null}}). */
    public static final Object NULL = NullNode.getInstance();
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private NftJson() {
    }

    /** A base chain of another table hooked to forward with policy drop: {@code family table name}. */
    public record ForeignChain(String family, String table, String name, String hook, String policy) {
        @Override
        public String toString() {
            return family + " " + table + " " + name;
        }
    }

    static String canonical(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The batch {@code nft -j -f} applies atomically. */
    public static String batch(List<Map<String, Object>> commands) {
        return canonical(Map.of("nftables", commands));
    }

    /** The chains (with their rules' comments and handles) of {@code nft -j list table inet peerwarden} output. */
    public static List<NftChain> parseTable(String json) {
        Map<String, NftChain> chains = new LinkedHashMap<>();
        Map<String, List<NftRule>> rules = new LinkedHashMap<>();
        for (JsonNode item : items(json)) {
            JsonNode chain = item.get("chain");
            if (chain != null) {
                String name = chain.path("name").asText();
                chains.put(name, new NftChain(name, chain.path("type").asText(""), chain.path("hook").asText(""),
                        chain.path("prio").asInt(0), chain.path("policy").asText("accept"), List.of()));
                rules.putIfAbsent(name, new ArrayList<>());
            }
            JsonNode rule = item.get("rule");
            if (rule != null) {
                String name = rule.path("chain").asText();
                rules.computeIfAbsent(name, k -> new ArrayList<>()).add(new NftRule(
                        rule.hasNonNull("comment") ? rule.get("comment").asText() : null, null, rule.path("handle").asLong()));
            }
        }
        List<NftChain> out = new ArrayList<>();
        chains.forEach((name, c) -> out.add(new NftChain(name, c.type(), c.hook(), c.prio(), c.policy(), rules.get(name))));
        return out;
    }

    /** Base chains of {@code nft -j list chains} output hooked to forward with policy drop, outside the agent's table. */
    public static List<ForeignChain> forwardDropChains(String json) {
        List<ForeignChain> out = new ArrayList<>();
        for (JsonNode item : items(json)) {
            JsonNode chain = item.get("chain");
            if (chain == null || !"forward".equals(chain.path("hook").asText()) || !"drop".equals(chain.path("policy").asText())) {
                continue;
            }
            String family = chain.path("family").asText();
            String table = chain.path("table").asText();
            if (NftRules.FAMILY.equals(family) && NftRules.TABLE.equals(table)) {
                continue;
            }
            out.add(new ForeignChain(family, table, chain.path("name").asText(), "forward", "drop"));
        }
        return out;
    }

    private static List<JsonNode> items(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            List<JsonNode> out = new ArrayList<>();
            root.path("nftables").forEach(out::add);
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("nft printed no JSON: " + e.getOriginalMessage(), e);
        }
    }
}
