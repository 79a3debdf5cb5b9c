package io.peerwarden.core.plan;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.condition;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.ConditionState;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.text.SafeText;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a user sees in `kubectl describe` when a spec carries terminal escapes or line separators. */
class MessagesEscapeControlCharactersTest {

    private static final String RED = "\u001b[31m";
    private final InstancePlanner planner = new InstancePlanner(new PlanFixtures.FakeKeys());

    private PeerPlan plan(VpnPeer peer) {
        return plan(instance("10.24.0.1/24"), peer);
    }

    private PeerPlan plan(VpnInstance instance, VpnPeer peer) {
        InstancePlan plan = planner.plan(instance, List.of(peer), new PlanFixtures.FakeSecrets(), new AllocationLedger(),
                nodes(NODE), List.of());
        return planOf(plan, peer.getMetadata().getName());
    }

    private static void assertPrintable(String message) {
        assertThat(message.codePoints().filter(SafeText::isUnsafe).toArray()).as(message).isEmpty();
    }

    @Test
    void anAnsiEscapeInDnsShowsEscapedInTheValidMessage() {
        ConditionState valid = condition(plan(peer("p", 1, s -> s.setDns(List.of(RED + "1.1.1.1")))), ConditionTypes.VALID);

        assertThat(valid.reason()).isEqualTo(Reasons.INVALID_DNS);
        assertThat(valid.message()).contains("spec.dns[0] is '\\u001b[31m1.1.1.1'");
        assertPrintable(valid.message());
    }

    @Test
    void aLineSeparatorInTheInstanceEndpointShowsEscapedInTheInstanceReadyAndThePeers() {
        VpnInstance instance = instance("10.24.0.1/24");
        instance.getSpec().setEndpoint("vpn.example.com\u2028PostUp = rm -rf /");
        InstancePlan plan = planner.plan(instance, List.of(peer("p", 1)), new PlanFixtures.FakeSecrets(), new AllocationLedger(),
                nodes(NODE), List.of());

        assertThat(plan.problem().reason()).isEqualTo(Reasons.INVALID_ENDPOINT);
        assertThat(plan.problem().message()).contains("'vpn.example.com\\u2028PostUp = rm -rf /'");
        assertPrintable(plan.problem().message());
        ConditionState rendered = condition(planOf(plan, "p"), ConditionTypes.CONFIG_RENDERED);
        assertThat(rendered.reason()).isEqualTo(Reasons.INSTANCE_NOT_READY);
        assertThat(rendered.message()).contains("\\u2028");
        assertPrintable(rendered.message());
    }

    @Test
    void aDisplayNameWithEscapesIsNamedButNeverRepeated() {
        ConditionState valid = condition(plan(peer("p", 1, s -> s.setDisplayName(RED + "Alice\r\n[Peer]"))), ConditionTypes.VALID);

        assertThat(valid.reason()).isEqualTo(Reasons.INVALID_DISPLAY_NAME);
        assertThat(valid.message()).contains("spec.displayName").doesNotContain("[31m").doesNotContain("[Peer]");
        assertPrintable(valid.message());
    }

    @Test
    void aConditionWrittenFromAnyOtherSourceIsEscapedAndBoundedToo() {
        // e.g. an agent's message that quotes something it read
        List<Condition> written = Conditions.with(null, ConditionTypes.APPLIED, Conditions.FALSE, Reasons.WG_SET_FAILED,
                "wg said " + RED + "boom\u0000" + "!".repeat(3000), 1L, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

        String message = written.get(0).getMessage();
        assertThat(message).startsWith("wg said \\u001b[31mboom\\u0000!").hasSize(SafeText.MAX_MESSAGE);
        assertPrintable(message);
    }
}
