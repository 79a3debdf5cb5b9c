package io.peerwarden.core.plan;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.core.status.ConditionState;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.net.AddressPool;
import io.peerwarden.core.net.Cidr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Random groups of peers crowding a small pool: the planner's decisions against the contract's invariants. */
class InstancePlannerPropertiesTest {

    private static final String POOL = "10.24.0.1/27";
    private static final Pattern HOLDER = Pattern.compile("held by VpnPeer ([^ ]+)/([^ .]+)");

    /** What a random peer asks for: nothing (allocation), explicit allowed IPs, site subnets, or a recorded allocation. */
    record PeerDraw(int kind, int offset, int prefix, int createdSecond, int subnetOffset, int subnetPrefix) {
    }

    @Provide
    Arbitrary<List<PeerDraw>> groups() {
        Arbitrary<PeerDraw> draw = Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 31),
                Arbitraries.integers().between(28, 32),
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(23, 26)).as(PeerDraw::new);
        return draw.list().ofMinSize(1).ofMaxSize(14);
    }

    private static List<VpnPeer> peers(List<PeerDraw> draws) {
        List<VpnPeer> peers = new ArrayList<>();
        for (int i = 0; i < draws.size(); i++) {
            PeerDraw d = draws.get(i);
            String cidr = Cidr.parse("10.24.0." + d.offset() + "/" + d.prefix()).network().toString();
            String subnet = Cidr.parse("192.168." + d.subnetOffset() + ".0/" + d.subnetPrefix()).network().toString();
            VpnPeer peer = switch (d.kind()) {
                case 0 -> peer("p" + i, d.createdSecond());
                case 1 -> peer("p" + i, d.createdSecond(), s -> s.setAllowedIPs(List.of(cidr)));
                case 2 -> peer("p" + i, d.createdSecond(), s -> {
                    s.setType("site");
                    s.setSubnets(List.of(subnet));
                });
                default -> {
                    VpnPeer recorded = peer("p" + i, d.createdSecond());
                    VpnPeerStatus status = new VpnPeerStatus();
                    status.setAllowedIPs(List.of(Cidr.parse("10.24.0." + d.offset() + "/32").toString()));
                    recorded.setStatus(status);
                    yield recorded;
                }
            };
            peers.add(peer);
        }
        return peers;
    }

    private static InstancePlan plan(VpnInstance instance, List<VpnPeer> peers) {
        return new InstancePlanner(new PlanFixtures.FakeKeys()).plan(instance, peers, new PlanFixtures.FakeSecrets(),
                new AllocationLedger(), nodes(NODE), List.of());
    }

    private static List<Cidr> claimed(PeerPlan p) {
        List<Cidr> all = new ArrayList<>(p.allowedIPs().stream().map(Cidr::parse).toList());
        if (p.valid() && p.peer().getSpec().isSite() && p.peer().getSpec().getSubnets() != null) {
            all.addAll(p.peer().getSpec().getSubnets().stream().map(Cidr::parse).toList());
        }
        return all;
    }

    @Property(tries = 80)
    void validPeersNeverOverlapAndStayInsideThePoolOffReservedAddresses(@ForAll("groups") List<PeerDraw> draws) {
        InstancePlan plan = plan(instance(POOL), peers(draws));
        AddressPool pool = AddressPool.of(POOL);

        List<PeerPlan> valid = plan.peers().stream().filter(PeerPlan::valid).toList();
        for (int i = 0; i < valid.size(); i++) {
            PeerPlan a = valid.get(i);
            assertThat(a.allowedIPs()).isNotEmpty();
            for (Cidr cidr : a.allowedIPs().stream().map(Cidr::parse).toList()) {
                assertThat(pool.contains(cidr)).as("%s inside the pool", cidr).isTrue();
                assertThat(pool.containsReserved(cidr)).as("%s holds a reserved address", cidr).isFalse();
            }
            for (int j = i + 1; j < valid.size(); j++) {
                PeerPlan b = valid.get(j);
                for (Cidr x : claimed(a)) {
                    for (Cidr y : claimed(b)) {
                        assertThat(x.overlaps(y)).as("%s of %s vs %s of %s", x, a.peer().getMetadata().getName(), y,
                                b.peer().getMetadata().getName()).isFalse();
                    }
                }
            }
        }
    }

    @Property(tries = 80)
    void everyLoserNamesAValidOlderHolderThatReallyOverlapsIt(@ForAll("groups") List<PeerDraw> draws) {
        InstancePlan plan = plan(instance(POOL), peers(draws));
        Statistics.label("collisions").collect(plan.collisions() > 0);
        Map<String, PeerPlan> byKey = new HashMap<>();
        plan.peers().forEach(p -> byKey.put(Seniority.key(p.peer()), p));

        for (PeerPlan p : plan.peers()) {
            ConditionState valid = PlanFixtures.condition(p, ConditionTypes.VALID);
            if (!Reasons.ALLOWED_IP_TAKEN.equals(valid.reason())) {
                continue;
            }
            Matcher m = HOLDER.matcher(valid.message());
            assertThat(m.find()).as(valid.message()).isTrue();
            PeerPlan holder = byKey.get(m.group(1) + "/" + m.group(2));
            assertThat(holder).as("holder named in %s exists", valid.message()).isNotNull();
            assertThat(holder.valid()).as("holder %s is valid", Seniority.key(holder.peer())).isTrue();
            assertThat(Seniority.ORDER.compare(holder.peer(), p.peer())).as("holder is older").isNegative();
            List<Cidr> wanted = new ArrayList<>();
            if (p.peer().getSpec().getAllowedIPs() != null) {
                wanted.addAll(p.peer().getSpec().getAllowedIPs().stream().map(Cidr::parse).toList());
            }
            if (p.peer().getSpec().getSubnets() != null) {
                wanted.addAll(p.peer().getSpec().getSubnets().stream().map(Cidr::parse).toList());
            }
            assertThat(wanted).anySatisfy(w -> assertThat(claimed(holder)).anyMatch(w::overlaps));
        }
    }

    @Property(tries = 50)
    void planIsTheSameWhateverTheOrderOfThePeers(@ForAll("groups") List<PeerDraw> draws, @ForAll Random random) {
        List<VpnPeer> peers = peers(draws);
        List<VpnPeer> shuffled = new ArrayList<>(peers);
        Collections.shuffle(shuffled, random);

        InstancePlan a = plan(instance(POOL), peers);
        InstancePlan b = plan(instance(POOL), shuffled);

        assertThat(decisions(b)).isEqualTo(decisions(a));
        assertThat(b.collisions()).isEqualTo(a.collisions());
    }

    private static Map<String, String> decisions(InstancePlan plan) {
        Map<String, String> result = new HashMap<>();
        for (PeerPlan p : plan.peers()) {
            result.put(Seniority.key(p.peer()), p.valid() + " " + p.allowedIPs() + " " + p.conditions()
                    + " " + (p.secret() == null ? null : p.secret().annotations()));
        }
        return result;
    }
}
