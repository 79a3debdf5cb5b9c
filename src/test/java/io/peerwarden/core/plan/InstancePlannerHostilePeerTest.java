package io.peerwarden.core.plan;

import static io.peerwarden.core.plan.PlanFixtures.condition;
import static io.peerwarden.core.plan.PlanFixtures.config;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.core.status.ConditionState;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** One peer whose config cannot be made never stops the other peers of its instance. */
class InstancePlannerHostilePeerTest {

    private final InstancePlanner planner = new InstancePlanner(new PlanFixtures.FakeKeys());

    private InstancePlan planWithHostile(VpnInstance instance, Consumer<VpnPeerSpec> hostile) {
        List<VpnPeer> peers = List.of(peer("good-a", 1), peer("bad", 2, hostile), peer("good-b", 3));
        return planner.plan(instance, peers, new PlanFixtures.FakeSecrets(), new AllocationLedger(), nodes(NODE), List.of());
    }

    private static void assertGoodPeersRendered(InstancePlan plan) {
        for (String name : List.of("good-a", "good-b")) {
            PeerPlan good = planOf(plan, name);
            assertThat(good.valid()).as(name).isTrue();
            assertThat(config(good)).as(name).contains("[Peer]");
            assertThat(condition(good, ConditionTypes.CONFIG_RENDERED).status()).isEqualTo("True");
        }
    }

    @Test
    void qrCodeOverflowIsConfigTooLargeForThatPeerOnly() {
        // 64 routes (the most validation allows) of IPv6 prefixes written out in full: about 2900 bytes of AllowedIPs alone
        List<String> routes = IntStream.range(0, 64)
                .mapToObj(i -> "fd00:1234:5678:9abc:def0:1234:" + Integer.toHexString(0x1000 + i) + ":9a00/120").toList();
        InstancePlan plan = planWithHostile(instance("10.24.0.1/24"), s -> s.setEndpointAllowedIPs(routes));

        assertGoodPeersRendered(plan);
        PeerPlan bad = planOf(plan, "bad");
        assertThat(bad.secret()).isNull();
        ConditionState rendered = condition(bad, ConditionTypes.CONFIG_RENDERED);
        assertThat(rendered.status()).isEqualTo("False");
        assertThat(rendered.reason()).isEqualTo(Reasons.CONFIG_TOO_LARGE);
        assertThat(rendered.message()).contains("QR code").contains("spec.endpointAllowedIPs").contains("spec.dns");
    }

    @Test
    void longDnsListIsConfigTooLarge() {
        // 16 entries (the most validation allows) of long but valid search domains
        String labels = "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60);
        List<String> dns = IntStream.range(0, 16).mapToObj(i -> labels + ".d" + i + ".example.org").toList();
        InstancePlan plan = planWithHostile(instance("10.24.0.1/24"), s -> s.setDns(dns));

        assertGoodPeersRendered(plan);
        assertThat(condition(planOf(plan, "bad"), ConditionTypes.CONFIG_RENDERED).reason()).isEqualTo(Reasons.CONFIG_TOO_LARGE);
    }

    @Test
    void nulPaddedDnsIsReportedOnTheDnsFieldAndOthersKeepWorking() {
        InstancePlan plan = planWithHostile(instance("10.24.0.1/24"), s -> s.setDns(List.of("1.1.1.1\u0000")));

        assertGoodPeersRendered(plan);
        PeerPlan bad = planOf(plan, "bad");
        assertThat(bad.secret()).isNull();
        ConditionState notRendered = bad.conditions().stream()
                .filter(c -> "False".equals(c.status()))
                .filter(c -> c.message() != null && c.message().contains("spec.dns"))
                .findFirst().orElseThrow(() -> new AssertionError("no condition names spec.dns: " + bad.conditions()));
        assertThat(notRendered.reason()).isIn(Reasons.INVALID_DNS, Reasons.CONFIG_REJECTED);
        assertThat(notRendered.message()).doesNotContain("\u0000");
    }
}
