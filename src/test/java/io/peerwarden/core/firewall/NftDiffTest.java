package io.peerwarden.core.firewall;

import io.peerwarden.core.firewall.InstanceFirewall.Allow;
import io.peerwarden.core.firewall.InstanceFirewall.PeerFilter;
import io.peerwarden.core.net.Cidr;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NftDiffTest {

    private static InstanceFirewall firewall(boolean nat, boolean clientToClient, List<Allow> laptopAllow) {
        return new InstanceFirewall("team", "vpn", "wg0", List.of(Cidr.parse("10.84.0.0/24"), Cidr.parse("fd84::/64")),
                true, nat, clientToClient, List.of(
                new PeerFilter("laptop", true, List.of(Cidr.parse("10.84.0.2/32"), Cidr.parse("fd84::2/128")), laptopAllow),
                new PeerFilter("phone", true, List.of(Cidr.parse("10.84.0.3/32")), List.of())));
    }

    private static final List<Allow> WEB = List.of(new Allow(Cidr.parse("10.0.0.0/8"), "tcp", List.of(443)));

    /** The live table as nft lists it after applying {@code chains}: same comments, handles from 1. */
    private static List<NftChain> applied(List<NftChain> chains) {
        long handle = 1;
        List<NftChain> out = new ArrayList<>();
        for (NftChain c : chains) {
            List<NftRule> rules = new ArrayList<>();
            for (NftRule r : c.rules()) {
                rules.add(new NftRule(r.comment(), null, handle++));
            }
            out.add(new NftChain(c.name(), c.type(), c.hook(), c.prio(), c.policy(), rules));
        }
        return out;
    }

    private static List<String> verbs(NftDiff.Result result) {
        return result.commands().stream().map(c -> c.keySet().iterator().next() + " " + ((Map<?, ?>) c.values().iterator().next()).keySet().iterator().next()).toList();
    }

    @Test
    void anEmptyNodeGetsTheTableItsChainsAndRules() {
        List<NftChain> desired = NftRules.chains(firewall(true, false, WEB));
        NftDiff.Result result = NftDiff.of(null, desired, c -> true);
        assertThat(verbs(result).get(0)).isEqualTo("add table");
        assertThat(result.chainsAdded()).isEqualTo(3);
        assertThat(result.rulesAdded()).isEqualTo(desired.stream().mapToInt(c -> c.rules().size()).sum());
        assertThat(result.rulesDeleted()).isZero();
    }

    @Test
    void theTableAsDesiredChangesNothing() {
        List<NftChain> desired = NftRules.chains(firewall(true, false, WEB));
        NftDiff.Result result = NftDiff.of(applied(desired), desired, c -> true);
        assertThat(result.empty()).isTrue();
        assertThat(result.changes()).isZero();
    }

    @Test
    void aMissingRuleIsInsertedBeforeTheNextRuleThatStaysAndNothingElseChanges() {
        List<NftChain> desired = NftRules.chains(firewall(false, true, WEB));
        List<NftChain> live = applied(desired);
        NftChain fwd = live.get(0);
        List<NftRule> withoutSecond = new ArrayList<>(fwd.rules());
        NftRule removed = withoutSecond.remove(1);
        NftRule next = withoutSecond.get(1);
        live.set(0, new NftChain(fwd.name(), fwd.type(), fwd.hook(), fwd.prio(), fwd.policy(), withoutSecond));
        NftDiff.Result result = NftDiff.of(live, desired, c -> true);
        assertThat(result.rulesAdded()).isEqualTo(1);
        assertThat(result.changes()).isEqualTo(1);
        Map<?, ?> rule = (Map<?, ?>) ((Map<?, ?>) result.commands().get(0).get("insert")).get("rule");
        assertThat(rule.get("handle")).isEqualTo(next.handle());
        assertThat(rule.get("comment")).isEqualTo(removed.comment());
    }

    @Test
    void aRuleTheAgentDidNotWriteInItsChainIsDeletedByHandle() {
        List<NftChain> desired = NftRules.chains(firewall(true, true, WEB));
        List<NftChain> live = applied(desired);
        NftChain fwd = live.get(0);
        List<NftRule> rules = new ArrayList<>(fwd.rules());
        rules.add(new NftRule(null, null, 99));
        live.set(0, new NftChain(fwd.name(), fwd.type(), fwd.hook(), fwd.prio(), fwd.policy(), rules));
        NftDiff.Result result = NftDiff.of(live, desired, c -> true);
        assertThat(verbs(result)).containsExactly("delete rule");
        assertThat(((Map<?, ?>) ((Map<?, ?>) result.commands().get(0).get("delete")).get("rule")).get("handle")).isEqualTo(99L);
    }

    @Test
    void aChangedAccessRuleReplacesOnlyThatPeersRule() {
        List<NftChain> live = applied(NftRules.chains(firewall(true, true, WEB)));
        List<Allow> ssh = List.of(new Allow(Cidr.parse("10.0.0.0/8"), "tcp", List.of(22)));
        NftDiff.Result result = NftDiff.of(live, NftRules.chains(firewall(true, true, ssh)), c -> true);
        // one IPv4 accept rule in the forward and one in the input chain; IPv6 has no allow rule either way
        assertThat(result.rulesAdded()).isEqualTo(2);
        assertThat(result.rulesDeleted()).isEqualTo(2);
        assertThat(result.chainsAdded() + result.chainsDeleted()).isZero();
    }

    @Test
    void chainsOfAGoneInstanceGoWhenTheAgentOwnsThemAndTheTableGoesWhenEmpty() {
        List<NftChain> live = applied(NftRules.chains(firewall(true, false, WEB)));
        assertThat(verbs(NftDiff.of(live, List.of(), c -> true))).containsExactly("delete table");
        NftDiff.Result notOurs = NftDiff.of(live, List.of(), c -> false);
        assertThat(notOurs.empty()).isTrue();
    }

    @Test
    void aChainWithChangedBasePropertiesIsRecreated() {
        List<NftChain> desired = NftRules.chains(firewall(true, true, List.of()));
        NftChain nat = applied(desired).get(0);
        List<NftChain> live = List.of(new NftChain(nat.name(), nat.type(), nat.hook(), nat.prio(), "drop", nat.rules()));
        NftDiff.Result result = NftDiff.of(live, desired, c -> true);
        assertThat(verbs(result)).startsWith("flush chain", "delete chain", "add chain");
        assertThat(result.chainsAdded()).isEqualTo(1);
    }

    @Test
    void withNothingDeclaredNoChainIsWanted() {
        assertThat(NftRules.chains(firewall(false, true, List.of()))).isEmpty();
        assertThat(NftDiff.of(null, List.of(), c -> true).empty()).isTrue();
    }

    @Test
    void forwardingOffDropsWhatTheInterfaceForwardsAndNatNeedsForwarding() {
        InstanceFirewall off = new InstanceFirewall("team", "vpn", "wg0", List.of(Cidr.parse("10.84.0.0/24")), false, true, true, List.of());
        List<NftChain> chains = NftRules.chains(off);
        assertThat(chains).extracting(NftChain::name).containsExactly("team.fwd.wg0");
        assertThat(chains.get(0).rules()).singleElement().satisfies(r -> assertThat(r.comment()).endsWith("forwarding disabled"));
    }

    @Test
    void chainNamesCarryNamespaceAndInterface() {
        String name = NftRules.chainName("team-a", "fwd", "wg.office");
        assertThat(NftRules.namespaceOf(name)).isEqualTo("team-a");
        assertThat(NftRules.interfaceOf(name)).isEqualTo("wg.office");
        assertThat(NftRules.namespaceOf("handmade")).isNull();
    }

    @Test
    void commentsStayWithinNftsLimitForLongPeerNames() {
        PeerFilter peer = new PeerFilter("p".repeat(253), true, List.of(Cidr.parse("10.84.0.2/32")), WEB);
        InstanceFirewall fw = new InstanceFirewall("team", "vpn", "wg0", List.of(Cidr.parse("10.84.0.0/24")), true, false, true, List.of(peer));
        NftRules.chains(fw).forEach(c -> c.rules().forEach(r -> assertThat(r.comment().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(127)));
    }
}
