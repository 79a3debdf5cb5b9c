package io.peerwarden.core.firewall;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The commands that turn the live table into the desired one, changing exactly the difference: rules are known by
 * their identity (see {@link NftRule}); a live rule the desired chain has, in order, stays; an unknown, duplicated
 * or out-of-order one is deleted; a missing one is inserted before the next rule that stays (or appended). A chain
 * whose base properties differ is recreated; a chain no longer desired is removed when {@code removable} says it is
 * the agent's to remove; the table goes when nothing is left in it. Pure.
 */
public final class NftDiff {

    private final List<Map<String, Object>> commands = new ArrayList<>();
    private int rulesAdded;
    private int rulesDeleted;
    private int chainsAdded;
    private int chainsDeleted;

    /** Counts of one diff; {@link #commands()} is empty exactly when nothing changes. */
    public record Result(List<Map<String, Object>> commands, int rulesAdded, int rulesDeleted, int chainsAdded, int chainsDeleted) {
        public boolean empty() {
            return commands.isEmpty();
        }

        public int changes() {
            return rulesAdded + rulesDeleted + chainsAdded + chainsDeleted;
        }
    }

    private NftDiff() {
    }

    /**
     * @param live      the table's chains, or null when the table does not exist
     * @param desired   every chain wanted in the table
     * @param removable a live chain that is not desired is removed only when this says so (the agent watches its namespace)
     */
    public static Result of(List<NftChain> live, List<NftChain> desired, Predicate<String> removable) {
        NftDiff diff = new NftDiff();
        diff.compute(live, desired, removable);
        return new Result(List.copyOf(diff.commands), diff.rulesAdded, diff.rulesDeleted, diff.chainsAdded, diff.chainsDeleted);
    }

    private void compute(List<NftChain> live, List<NftChain> desired, Predicate<String> removable) {
        Map<String, NftChain> liveByName = new LinkedHashMap<>();
        if (live != null) {
            live.forEach(c -> liveByName.put(c.name(), c));
        }
        Map<String, NftChain> desiredByName = new LinkedHashMap<>();
        desired.forEach(c -> desiredByName.put(c.name(), c));
        int kept = 0;
        for (NftChain chain : liveByName.values()) {
            if (!desiredByName.containsKey(chain.name())) {
                if (removable.test(chain.name())) {
                    rulesDeleted += chain.rules().size();
                    chainsDeleted++;
                    deleteChain(chain.name());
                } else {
                    kept++;
                }
            }
        }
        if (desired.isEmpty() && kept == 0) {
            if (live != null) {
                commands.clear();
                commands.add(Map.of("delete", Map.of("table", table())));
            }
            return;
        }
        if (live == null) {
            commands.add(0, Map.of("add", Map.of("table", table())));
        }
        for (NftChain want : desired) {
            NftChain have = liveByName.get(want.name());
            if (have != null && !have.sameBase(want)) {
                rulesDeleted += have.rules().size();
                chainsDeleted++;
                deleteChain(have.name());
                have = null;
            }
            if (have == null) {
                chainsAdded++;
                commands.add(Map.of("add", Map.of("chain", chain(want))));
                want.rules().forEach(r -> add("add", want.name(), r, 0));
                continue;
            }
            rules(have, want);
        }
    }

    private void rules(NftChain have, NftChain want) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < want.rules().size(); i++) {
            position.putIfAbsent(want.rules().get(i).id(), i);
        }
        long[] keptHandle = new long[want.rules().size()];
        int last = -1;
        for (NftRule rule : have.rules()) {
            Integer at = position.get(rule.id());
            if (at != null && at > last) {
                keptHandle[at] = rule.handle();
                last = at;
            } else {
                rulesDeleted++;
                commands.add(Map.of("delete", Map.of("rule", ruleRef(have.name(), rule.handle()))));
            }
        }
        for (int i = 0; i < want.rules().size(); i++) {
            if (keptHandle[i] != 0) {
                continue;
            }
            long anchor = 0;
            for (int j = i + 1; j < want.rules().size() && anchor == 0; j++) {
                anchor = keptHandle[j];
            }
            add(anchor == 0 ? "add" : "insert", want.name(), want.rules().get(i), anchor);
        }
    }

    private void add(String verb, String chain, NftRule rule, long anchor) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("family", NftRules.FAMILY);
        body.put("table", NftRules.TABLE);
        body.put("chain", chain);
        if (anchor != 0) {
            body.put("handle", anchor);
        }
        body.put("comment", rule.comment());
        body.put("expr", rule.expr());
        rulesAdded++;
        commands.add(Map.of(verb, Map.of("rule", body)));
    }

    private void deleteChain(String name) {
        Map<String, Object> ref = Map.of("family", NftRules.FAMILY, "table", NftRules.TABLE, "name", name);
        commands.add(Map.of("flush", Map.of("chain", ref)));
        commands.add(Map.of("delete", Map.of("chain", ref)));
    }

    private static Map<String, Object> ruleRef(String chain, long handle) {
        return Map.of("family", NftRules.FAMILY, "table", NftRules.TABLE, "chain", chain, "handle", handle);
    }

    private static Map<String, Object> table() {
        return Map.of("family", NftRules.FAMILY, "name", NftRules.TABLE);
    }

    private static Map<String, Object> chain(NftChain c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", NftRules.FAMILY);
        m.put("table", NftRules.TABLE);
        m.put("name", c.name());
        m.put("type", c.type());
        m.put("hook", c.hook());
        m.put("prio", c.prio());
        m.put("policy", c.policy());
        return m;
    }
}
