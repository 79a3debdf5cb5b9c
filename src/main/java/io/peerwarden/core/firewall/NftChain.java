package io.peerwarden.core.firewall;

import java.util.List;

/**
 * A base chain of the agent's table, desired or live.
 *
 * @param type   filter or nat
 * @param hook   forward, input or postrouting
 * @param prio   priority (numeric: filter is 0, srcnat 100)
 * @param policy accept or drop
 * @param rules  in order
 */
public record NftChain(String name, String type, String hook, int prio, String policy, List<NftRule> rules) {

    public NftChain {
        rules = List.copyOf(rules);
    }

    /** Whether the chain's base-chain properties equal {@code other}'s (rules aside). */
    public boolean sameBase(NftChain other) {
        return type.equals(other.type) && hook.equals(other.hook) && prio == other.prio && policy.equals(other.policy);
    }
}
