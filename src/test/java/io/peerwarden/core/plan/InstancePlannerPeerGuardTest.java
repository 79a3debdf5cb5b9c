package io.peerwarden.core.plan;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.NS;
import static io.peerwarden.core.plan.PlanFixtures.allowed;
import static io.peerwarden.core.plan.PlanFixtures.condition;
import static io.peerwarden.core.plan.PlanFixtures.config;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.status.ConditionState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An unexpected exception in one peer's step (here: reading a Secret throws for that peer only) becomes
 * that peer's condition; the instance's other peers are planned exactly as if it were not there.
 */
class InstancePlannerPeerGuardTest {

    private static final String RAW = "\u001b[31mspec-text-that-must-not-show";
    private final InstancePlanner planner = new InstancePlanner(new PlanFixtures.FakeKeys());
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger guardLogger = (Logger) LoggerFactory.getLogger(PeerGuard.class);

    @BeforeEach
    void captureLog() {
        log.start();
        guardLogger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        guardLogger.detachAppender(log);
    }

    /** Secrets as usual, except that looking up {@code poisoned} throws an exception quoting raw spec text. */
    private static SecretLookup throwingFor(String poisoned) {
        PlanFixtures.FakeSecrets secrets = new PlanFixtures.FakeSecrets();
        return (namespace, name) -> {
            if (name.equals(poisoned)) {
                throw new IllegalStateException("unexpected " + RAW);
            }
            return secrets.find(namespace, name);
        };
    }

    /** A fresh planner (and key counter) each time, so both plans mint the same instance key. */
    private InstancePlan plan(List<VpnPeer> peers, SecretLookup secrets) {
        return plan(new InstancePlanner(new PlanFixtures.FakeKeys()), peers, secrets);
    }

    private static InstancePlan plan(InstancePlanner planner, List<VpnPeer> peers, SecretLookup secrets) {
        return planner.plan(instance("10.24.0.1/24"), peers, secrets, new AllocationLedger(), nodes(NODE), List.of());
    }

    private static List<VpnPeer> good() {
        return List.of(peer("good-a", 1), peer("good-c", 3, allowed("10.24.0.9/32")), peer("good-d", 4));
    }

    private static List<VpnPeer> withBad(VpnPeer bad) {
        List<VpnPeer> good = good();
        return List.of(good.get(0), bad, good.get(1), good.get(2));
    }

    private void assertOnlyTheBadPeerFailed(InstancePlan withBad, InstancePlan without) {
        PeerPlan bad = planOf(withBad, "bad");
        ConditionState valid = condition(bad, ConditionTypes.VALID);
        assertThat(valid.status()).isEqualTo("False");
        assertThat(valid.reason()).isEqualTo(Reasons.INTERNAL_ERROR);
        assertThat(valid.message()).contains("internal error").contains("other peers are not affected")
                .doesNotContain("spec-text").doesNotContain("\u001b");
        assertThat(bad.valid()).isFalse();
        assertThat(bad.secret()).as("no Secret is written, so nothing it held is lost").isNull();
        assertThat(bad.allowedIPs()).as("the status keeps its addresses").isNull();
        for (String name : List.of("good-a", "good-c", "good-d")) {
            PeerPlan expected = planOf(without, name);
            PeerPlan actual = planOf(withBad, name);
            assertThat(actual.valid()).as(name).isTrue();
            assertThat(actual.allowedIPs()).as(name).isEqualTo(expected.allowedIPs());
            assertThat(actual.conditions()).as(name).isEqualTo(expected.conditions());
            assertThat(withoutKeys(config(actual))).as(name).isEqualTo(withoutKeys(config(expected)));
        }
        assertThat(log.list).as("logged once, without the exception's message").singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("vpn/bad").contains("IllegalStateException")
                        .doesNotContain("spec-text"));
    }

    private static String withoutKeys(String config) {
        return config.replaceAll("(?m)^(PrivateKey|PresharedKey) = .*$", "$1 = <key>");
    }

    @Test
    void aFailureWhileClaimingAddressesIsThatPeersInternalError() {
        // a peer without spec.allowedIPs reads its config Secret for its recorded address
        VpnPeer bad = peer("bad", 2);
        VpnPeerStatus recorded = new VpnPeerStatus();
        recorded.setAllowedIPs(List.of("10.24.0.2/32"));
        bad.setStatus(recorded);

        InstancePlan withBad = plan(withBad(bad), throwingFor("bad-wireguard"));
        InstancePlan without = plan(good(), new PlanFixtures.FakeSecrets());

        assertOnlyTheBadPeerFailed(withBad, without);
        assertThat(withBad.allocations()).doesNotContainKey("uid-" + NS + "-bad");
    }

    @Test
    void aFailureWhileResolvingKeysIsThatPeersInternalError() {
        VpnPeer bad = peer("bad", 2, s -> {
            s.setAllowedIPs(List.of("10.24.0.5/32"));
            s.setPrivateKeySecretRef(new SecretKeyRef("bad-key", "privateKey"));
        });

        InstancePlan withBad = plan(withBad(bad), throwingFor("bad-key"));
        InstancePlan without = plan(good(), new PlanFixtures.FakeSecrets());

        assertOnlyTheBadPeerFailed(withBad, without);
    }

    @Test
    void theSameFailureOnTheNextPlanIsNotLoggedAgain() {
        VpnPeer bad = peer("bad", 2, s -> s.setPrivateKeySecretRef(new SecretKeyRef("bad-key", "privateKey")));
        plan(planner, withBad(bad), throwingFor("bad-key"));
        InstancePlan again = plan(planner, withBad(bad), throwingFor("bad-key"));

        assertThat(condition(planOf(again, "bad"), ConditionTypes.VALID).reason()).isEqualTo(Reasons.INTERNAL_ERROR);
        assertThat(log.list).hasSize(1);
        assertThat(Optional.ofNullable(planOf(again, "good-d").secret())).isPresent();
    }
}
