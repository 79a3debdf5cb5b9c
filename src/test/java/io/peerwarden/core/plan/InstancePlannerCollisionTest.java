package io.peerwarden.core.plan;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.allowed;
import static io.peerwarden.core.plan.PlanFixtures.condition;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static io.peerwarden.core.plan.PlanFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.core.status.ConditionState;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.PeerNamespaces;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Who keeps a contested address: the senior peer; the other is Valid=False/AllowedIPTaken naming it. */
class InstancePlannerCollisionTest {

    private final InstancePlanner planner = new InstancePlanner(new PlanFixtures.FakeKeys());
    private final VpnInstance instance = instance("10.24.0.1/24", "fd00:24::1/64");

    {
        // some cases put peers in other namespaces: collisions are decided across all of them
        instance.getSpec().setPeerNamespaces(new PeerNamespaces(PeerNamespaces.ALL, null));
    }

    private InstancePlan plan(List<VpnPeer> peers) {
        return planner.plan(instance, peers, new PlanFixtures.FakeSecrets(), new AllocationLedger(), nodes(NODE), List.of());
    }

    /** holder (older), contender (younger), and a bystander that collides with nobody. */
    static Stream<Arguments> overlaps() {
        return Stream.of(
                Arguments.of("equal IPv4 host", peer("holder", 1, allowed("10.24.0.10/32")),
                        peer("contender", 2, allowed("10.24.0.10/32"))),
                Arguments.of("IPv4 /32 inside an older /29", peer("holder", 1, allowed("10.24.0.8/29")),
                        peer("contender", 2, allowed("10.24.0.10/32"))),
                Arguments.of("IPv4 /29 around an older /32", peer("holder", 1, allowed("10.24.0.10/32")),
                        peer("contender", 2, allowed("10.24.0.8/29"))),
                Arguments.of("site subnet inside another site's subnet", peer("holder", 1, site("192.168.0.0/16")),
                        peer("contender", 2, site("192.168.10.0/24"))),
                Arguments.of("site subnet around another site's subnet", peer("holder", 1, site("192.168.10.0/24")),
                        peer("contender", 2, site("192.168.0.0/16"))),
                Arguments.of("equal IPv6 host", peer("holder", 1, allowed("fd00:24::10/128")),
                        peer("contender", 2, allowed("fd00:24::10/128"))),
                Arguments.of("IPv6 /128 inside an older /125", peer("holder", 1, allowed("fd00:24::8/125")),
                        peer("contender", 2, allowed("fd00:24::c/128"))),
                Arguments.of("IPv6 site subnets", peer("holder", 1, site("fd00:db8::/48")),
                        peer("contender", 2, site("fd00:db8:0:1::/64"))),
                Arguments.of("dual-stack contender, only the IPv6 part overlaps", peer("holder", 1, allowed("fd00:24::10/128")),
                        peer("contender", 2, allowed("10.24.0.20/32", "fd00:24::10/128"))),
                Arguments.of("same creation time: namespace/name decides", peer("holder", 5, allowed("10.24.0.10/32")),
                        peer("zz-contender", 5, allowed("10.24.0.10/32"))),
                Arguments.of("same creation time: namespace before name",
                        peer("aaa", "zz-holder", 5, allowed("10.24.0.10/32")),
                        peer("bbb", "aa-contender", 5, allowed("10.24.0.10/32"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaps")
    void youngerPeerLosesToOlderHolderWhateverTheInputOrder(String caseName, VpnPeer holder, VpnPeer contender) {
        VpnPeer bystander = peer("bystander", 0, allowed("10.24.0.200/32"));
        List<VpnPeer> peers = new ArrayList<>(List.of(contender, bystander, holder));
        Random random = new Random(caseName.hashCode());
        for (int round = 0; round < 6; round++) {
            Collections.shuffle(peers, random);
            InstancePlan plan = plan(peers);

            PeerPlan lost = planOf(plan, contender.getMetadata().getName());
            assertThat(lost.valid()).isFalse();
            ConditionState valid = condition(lost, ConditionTypes.VALID);
            assertThat(valid.status()).isEqualTo(Conditions.FALSE);
            assertThat(valid.reason()).isEqualTo(Reasons.ALLOWED_IP_TAKEN);
            assertThat(valid.message()).contains("Allowed IP already taken by another peer")
                    .contains("VpnPeer " + holder.getMetadata().getNamespace() + "/" + holder.getMetadata().getName());
            assertThat(lost.secret()).as("a losing peer is not rendered").isNull();

            assertThat(planOf(plan, holder.getMetadata().getName()).valid()).as("the holder keeps its address").isTrue();
            assertThat(condition(planOf(plan, holder.getMetadata().getName()), ConditionTypes.VALID).status()).isEqualTo(Conditions.TRUE);
            assertThat(planOf(plan, "bystander").valid()).isTrue();
            assertThat(plan.collisions()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaps")
    void loserRecoversOnTheNextPlanOnceTheHolderIsGone(String caseName, VpnPeer holder, VpnPeer contender) {
        assertThat(planOf(plan(List.of(holder, contender)), contender.getMetadata().getName()).valid()).isFalse();

        InstancePlan after = plan(List.of(contender));

        PeerPlan recovered = planOf(after, contender.getMetadata().getName());
        assertThat(recovered.valid()).isTrue();
        assertThat(condition(recovered, ConditionTypes.VALID).reason()).isEqualTo(Reasons.VALID);
        assertThat(recovered.secret()).isNotNull();
        assertThat(after.collisions()).isZero();
    }

    @Test
    void disjointNeighboursDoNotCollide() {
        InstancePlan plan = plan(List.of(
                peer("a", 1, allowed("10.24.0.8/29")),
                peer("b", 2, allowed("10.24.0.16/29")),
                peer("c", 3, site("192.168.0.0/24")),
                peer("d", 4, site("192.168.1.0/24")),
                peer("e", 5, allowed("fd00:24::8/125")),
                peer("f", 6, allowed("fd00:24::10/125"))));

        assertThat(plan.peers()).allMatch(PeerPlan::valid);
        assertThat(plan.collisions()).isZero();
    }

    @Test
    void peerWithoutCreationTimestampIsJuniorToEveryDatedPeer() {
        VpnPeer undated = peer("aaa", 0, allowed("10.24.0.10/32"));
        undated.getMetadata().setCreationTimestamp(null);
        VpnPeer dated = peer("zzz", 100, allowed("10.24.0.10/32"));

        InstancePlan plan = plan(List.of(undated, dated));

        assertThat(planOf(plan, "zzz").valid()).isTrue();
        assertThat(condition(planOf(plan, "aaa"), ConditionTypes.VALID).reason()).isEqualTo(Reasons.ALLOWED_IP_TAKEN);
    }

    @Test
    void losingSiteClaimsNothingSoAThirdPeerOverlappingOnlyItsOtherSubnetStaysValid() {
        // the loser's non-contested subnet is not held: the decision does not depend on a peer that is not applied
        VpnPeer holder = peer("holder", 1, site("192.168.0.0/24"));
        VpnPeer loser = peer("loser", 2, site("192.168.0.0/24", "172.16.0.0/24"));
        VpnPeer third = peer("third", 3, site("172.16.0.0/24"));

        InstancePlan plan = plan(List.of(third, loser, holder));

        assertThat(planOf(plan, "loser").valid()).isFalse();
        assertThat(planOf(plan, "third").valid()).isTrue();
    }
}
