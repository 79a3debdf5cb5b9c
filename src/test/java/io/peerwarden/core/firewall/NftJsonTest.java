package io.peerwarden.core.firewall;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NftJsonTest {

    @Test
    void readsChainsAndRuleIdentitiesAsNftListsThem() {
        String listed = """
                {"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
                 {"table": {"family": "inet", "name": "peerwarden", "handle": 2}},
                 {"chain": {"family": "inet", "table": "peerwarden", "name": "team.fwd.wg0", "handle": 1, "type": "filter", "hook": "forward", "prio": -10, "policy": "accept"}},
                 {"rule": {"family": "inet", "table": "peerwarden", "chain": "team.fwd.wg0", "handle": 2, "comment": "pwabcdef012345 established", "expr": []}},
                 {"rule": {"family": "inet", "table": "peerwarden", "chain": "team.fwd.wg0", "handle": 3, "expr": []}}]}
                """;
        var chains = NftJson.parseTable(listed);
        assertThat(chains).singleElement().satisfies(c -> {
            assertThat(c.sameBase(new NftChain("x", "filter", "forward", -10, "accept", java.util.List.of()))).isTrue();
            assertThat(c.rules()).extracting(NftRule::id).containsExactly("pwabcdef012345", "");
            assertThat(c.rules()).extracting(NftRule::handle).containsExactly(2L, 3L);
        });
    }

    @Test
    void findsForwardChainsOfOtherTablesThatDropByDefault() {
        String listed = """
                {"nftables": [
                 {"chain": {"family": "ip", "table": "filter", "name": "FORWARD", "type": "filter", "hook": "forward", "prio": 0, "policy": "drop"}},
                 {"chain": {"family": "ip", "table": "filter", "name": "INPUT", "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}},
                 {"chain": {"family": "inet", "table": "peerwarden", "name": "t.fwd.wg0", "type": "filter", "hook": "forward", "prio": -10, "policy": "drop"}},
                 {"chain": {"family": "inet", "table": "fw", "name": "fwd", "type": "filter", "hook": "forward", "prio": 0, "policy": "accept"}}]}
                """;
        assertThat(NftJson.forwardDropChains(listed)).extracting(Object::toString).containsExactly("ip filter FORWARD");
    }
}
