package io.peerwarden.core.plan;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceStatus;
import io.peerwarden.core.admission.InstanceAdmission;
import io.peerwarden.core.admission.PeerAdmission;
import io.peerwarden.core.status.Conditions;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static org.assertj.core.api.Assertions.assertThat;

/** A VpnInstance's verdict is its planned Accepted condition, for what the instance itself gets wrong only. */
class InstanceAdmissionTest {

    private final InstancePlanner planner = new InstancePlanner(new PlanFixtures.FakeKeys());

    /** As kubectl sends a create: no UID, no creationTimestamp, no status. */
    private static VpnInstance candidate(String name, String address) {
        VpnInstance instance = instance(name, 0, address);
        instance.setMetadata(new ObjectMetaBuilder().withNamespace(PlanFixtures.NS).withName(name).build());
        return instance;
    }

    private PeerAdmission.Verdict decide(VpnInstance candidate, List<NodeInfo> nodes, VpnInstance... others) {
        InstancePlan plan = planner.plan(candidate, List.of(), new PlanFixtures.FakeSecrets(), new AllocationLedger(), nodes,
                List.of(others));
        PeerAdmission.Verdict verdict = InstanceAdmission.decide(plan);
        if (Conditions.TRUE.equals(plan.accepted().status())) {
            assertThat(verdict.allowed()).as("the reconciler accepts it").isTrue();
        }
        if (!verdict.allowed()) {
            assertThat(verdict.reason()).isEqualTo(plan.accepted().reason());
            assertThat(verdict.message()).isEqualTo(plan.accepted().message());
        }
        return verdict;
    }

    @Test
    void aListenPortASeniorInstanceHoldsOnTheNodeIsRefusedNamingIt() {
        VpnInstance office = instance("office", 0, "10.24.0.1/24");
        office.getSpec().setListenPort(51830);
        InstancePlan officePlan = planner.plan(office, List.of(), new PlanFixtures.FakeSecrets(), new AllocationLedger(), nodes(NODE),
                List.of());
        office.setStatus(officePlan.applyTo(new VpnInstanceStatus(), 1L, null, Clock.systemUTC()));
        VpnInstance second = candidate("second", "10.30.0.1/24");
        second.getSpec().setListenPort(51830);

        PeerAdmission.Verdict verdict = decide(second, nodes(NODE), office);

        assertThat(verdict.allowed()).isFalse();
        assertThat(verdict.reason()).isEqualTo(Reasons.LISTEN_PORT_TAKEN);
        assertThat(verdict.message()).contains("VpnInstance " + PlanFixtures.NS + "/office");
        assertThat(decide(candidate("third", "10.31.0.1/24"), nodes(NODE), office).allowed()).isTrue();
    }

    @Test
    void aPortOutsideThePolicyRangeIsRefusedAndANodeThatMayStillComeIsAdmitted() {
        VpnInstance port = candidate("port", "10.24.0.1/24");
        port.getSpec().setListenPort(51820);
        assertThat(decide(port, nodes(NODE)).reason()).isEqualTo(Reasons.LISTEN_PORT_NOT_ALLOWED);

        VpnInstance early = candidate("early", "10.24.0.1/24");
        early.getSpec().setNodeName("not-joined-yet");
        assertThat(decide(early, nodes(NODE)).allowed()).as("NodeNotFound is not the spec's mistake").isTrue();
    }
}
