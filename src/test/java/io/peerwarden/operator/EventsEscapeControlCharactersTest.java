package io.peerwarden.operator;

import static io.peerwarden.operator.OperatorHarness.NS;
import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.conditionOf;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `kubectl describe` of a peer whose spec carries an ANSI escape (it reached the operator without the
 * schema, as the mock stores it): the condition and the Event show {@code \}{@code u001b}, never ESC itself.
 */
class EventsEscapeControlCharactersTest {

    private OperatorHarness harness;

    @BeforeEach
    void start() {
        harness = new OperatorHarness().startOperator();
        harness.create(instance("office", "10.24.0.1/24"));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void anAnsiEscapeInDnsIsEscapedInTheConditionAndTheEvent() {
        VpnPeer hostile = peer("mallory", "office", "client");
        hostile.getSpec().setDns(List.of("\u001b[31m1.1.1.1\u001b[0m"));
        harness.create(hostile);
        harness.create(peer("alice", "office", "client"));

        VpnPeer invalid = harness.awaitPeer("mallory", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.INVALID_DNS));
        assertThat(conditionOf(invalid, ConditionTypes.VALID).getMessage())
                .contains("'\\u001b[31m1.1.1.1\\u001b[0m'").doesNotContain("\u001b");
        Event event = await().atMost(Duration.ofSeconds(10)).until(() -> harness.admin.events().v1().events().inNamespace(NS)
                        .list().getItems().stream().filter(e -> Reasons.INVALID_DNS.equals(e.getReason())).findFirst().orElse(null),
                e -> e != null);
        assertThat(event.getNote()).contains("'\\u001b[31m1.1.1.1\\u001b[0m'").doesNotContain("\u001b");
        assertThat(harness.awaitPeer("alice", rendered())).isNotNull();
    }
}
