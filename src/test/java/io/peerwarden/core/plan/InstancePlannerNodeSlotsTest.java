package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceStatus;
import io.peerwarden.core.policy.InstallPolicy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.condition;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interface names and listen ports are unique per node across namespaces: the senior instance keeps
 * them, the other is refused naming the holder, and recovers when the holder goes.
 */
class InstancePlannerNodeSlotsTest {

    private final InstancePlanner planner = new InstancePlanner(new PlanFixtures.FakeKeys());
    private final PlanFixtures.FakeSecrets secrets = new PlanFixtures.FakeSecrets();

    private static VpnInstance in(String namespace, String name, int second, String address) {
        VpnInstance instance = instance(name, second, address);
        instance.getMetadata().setNamespace(namespace);
        instance.getMetadata().setUid("uid-" + namespace + "-" + name);
        return instance;
    }

    private InstancePlan plan(VpnInstance instance, VpnInstance... others) {
        // the peer lives in the instance's namespace (spec.peerNamespaces defaults to Same)
        return planner.plan(instance, List.of(peer(instance.getMetadata().getNamespace(), "alice", 5, spec -> { })), secrets, new AllocationLedger(), nodes(NODE, "elsewhere"),
                List.of(others));
    }

    /** The instance as the operator leaves it after the plan (status written), for the next plan of its neighbours. */
    private static VpnInstance written(VpnInstance instance, InstancePlan plan) {
        VpnInstanceStatus status = plan.applyTo(new VpnInstanceStatus(), 1L, null, Clock.systemUTC());
        instance.setStatus(status);
        return instance;
    }

    @Test
    void officeInTwoNamespacesOnOneNodeGetsTwoInterfacesAndTwoPorts() {
        VpnInstance sales = in("sales", "office", 0, "10.24.0.1/24");
        VpnInstance support = in("support", "office", 1, "10.25.0.1/24");
        InstancePlan first = plan(sales, support);
        written(sales, first);
        InstancePlan second = plan(support, sales);

        assertThat(first.usable()).isTrue();
        assertThat(second.usable()).isTrue();
        assertThat(first.interfaceName()).startsWith("pw-office-").isNotEqualTo(second.interfaceName());
        assertThat(second.interfaceName()).startsWith("pw-office-");
        assertThat(first.listenPort()).isEqualTo(51830);
        assertThat(second.listenPort()).isEqualTo(51831);
        assertThat(first.accepted().status()).isEqualTo("True");
        assertThat(first.accepted().reason()).isEqualTo(Reasons.ACCEPTED);
    }

    @Test
    void theSameExplicitInterfaceNameOnOneNodeIsRefusedToTheYoungerNamingTheHolder() {
        VpnInstance senior = in("a", "one", 0, "10.24.0.1/24");
        VpnInstance junior = in("b", "two", 1, "10.25.0.1/24");
        senior.getSpec().setInterfaceName("pw0");
        junior.getSpec().setInterfaceName("pw0");

        InstancePlan seniorPlan = plan(senior, junior);
        InstancePlan juniorPlan = plan(junior, senior);

        assertThat(seniorPlan.usable()).isTrue();
        assertThat(juniorPlan.usable()).isFalse();
        assertThat(juniorPlan.accepted().status()).isEqualTo("False");
        assertThat(juniorPlan.accepted().reason()).isEqualTo(Reasons.INTERFACE_NAME_TAKEN);
        assertThat(juniorPlan.problem().type()).isEqualTo(ConditionTypes.READY);
        assertThat(juniorPlan.problem().reason()).isEqualTo(Reasons.INTERFACE_NAME_TAKEN);
        assertThat(juniorPlan.problem().message()).contains("pw0").contains("a/one");
        assertThat(juniorPlan.listenPort()).as("a refused instance holds no port").isNull();
        // its peers say the instance is not ready
        assertThat(condition(planOf(juniorPlan, "alice"), ConditionTypes.CONFIG_RENDERED).reason()).isEqualTo(Reasons.INSTANCE_NOT_READY);
        assertThat(condition(planOf(juniorPlan, "alice"), ConditionTypes.CONFIG_RENDERED).message()).contains("a/one");
    }

    @Test
    void theSameExplicitPortOnOneNodeIsRefusedToTheYoungerAndItRecoversWhenTheSeniorGoes() {
        VpnInstance senior = in("a", "one", 0, "10.24.0.1/24");
        VpnInstance junior = in("b", "two", 1, "10.25.0.1/24");
        senior.getSpec().setListenPort(51900);
        junior.getSpec().setListenPort(51900);

        InstancePlan refused = plan(junior, senior);
        assertThat(refused.accepted().reason()).isEqualTo(Reasons.LISTEN_PORT_TAKEN);
        assertThat(refused.problem().message()).contains("51900").contains("a/one");

        InstancePlan recovered = plan(junior);
        assertThat(recovered.usable()).isTrue();
        assertThat(recovered.listenPort()).isEqualTo(51900);
    }

    @Test
    void anInstanceOnAnotherNodeTakesNothingHere() {
        VpnInstance elsewhere = in("a", "one", 0, "10.24.0.1/24");
        elsewhere.getSpec().setNodeName("elsewhere");
        elsewhere.getSpec().setInterfaceName("pw0");
        VpnInstance here = in("b", "two", 1, "10.25.0.1/24");
        here.getSpec().setInterfaceName("pw0");

        assertThat(plan(here, elsewhere).usable()).isTrue();
    }

    @Test
    void aDerivedPortSkipsThePortsOfSeniorsAndIsKeptWhileNoSeniorWantsIt() {
        VpnInstance explicit = in("a", "explicit", 0, "10.24.0.1/24");
        explicit.getSpec().setListenPort(51830);
        VpnInstance derived = in("b", "derived", 1, "10.25.0.1/24");

        InstancePlan first = plan(derived, explicit);
        assertThat(first.listenPort()).isEqualTo(51831);
        written(derived, first);
        // a junior that comes later and wants 51831 explicitly does not move the holder
        VpnInstance latecomer = in("c", "late", 2, "10.26.0.1/24");
        latecomer.getSpec().setListenPort(51831);
        assertThat(plan(derived, explicit, latecomer).listenPort()).isEqualTo(51831);
        assertThat(plan(latecomer, explicit, derived).accepted().reason()).isEqualTo(Reasons.LISTEN_PORT_TAKEN);
        // the recorded port is kept when the senior before it goes (stable, no renumbering)
        assertThat(plan(derived, latecomer).listenPort()).isEqualTo(51831);
    }

    @Test
    void aRecordedPortASeniorNowWantsMovesToTheLowestFreeOne() {
        VpnInstance derived = in("b", "derived", 1, "10.25.0.1/24");
        VpnInstanceStatus status = new VpnInstanceStatus();
        status.setListenPort(51830);
        derived.setStatus(status);
        VpnInstance senior = in("a", "senior", 0, "10.24.0.1/24");
        senior.getSpec().setListenPort(51830);

        assertThat(plan(derived, senior).listenPort()).isEqualTo(51831);
    }

    @Test
    void aRefusedSeniorHoldsNoPortAndNoName() {
        VpnInstance refusedSenior = in("a", "one", 0, "10.24.0.1/24");
        refusedSenior.getSpec().setInterfaceName("cni0");
        refusedSenior.getSpec().setListenPort(51830);
        VpnInstance junior = in("b", "two", 1, "10.25.0.1/24");

        InstancePlan plan = plan(junior, refusedSenior);

        assertThat(plan.usable()).isTrue();
        assertThat(plan.listenPort()).isEqualTo(51830);
    }

    @Test
    void whenEveryPortOfTheRangeIsHeldTheNextInstanceIsToldSo() {
        InstancePlanner narrow = new InstancePlanner(new PlanFixtures.FakeKeys(),
                new InstallPolicy(null, null, new InstallPolicy.PortRange(40000, 40001), null, null, null, null));
        List<VpnInstance> seniors = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            VpnInstance senior = in("a", "s" + i, i, "10.2" + i + ".0.1/24");
            senior.getSpec().setListenPort(40000 + i);
            seniors.add(senior);
        }
        VpnInstance last = in("b", "last", 5, "10.30.0.1/24");

        InstancePlan plan = narrow.plan(last, List.of(), secrets, new AllocationLedger(), nodes(NODE), seniors);

        assertThat(plan.accepted().reason()).isEqualTo(Reasons.LISTEN_PORT_TAKEN);
        assertThat(plan.problem().message()).contains("40000-40001").contains("policy.listenPorts");
    }

    @Test
    void theStatusShowsTheDecidedPortAndTheEndpointCarriesIt() {
        VpnInstance senior = in("a", "one", 0, "10.24.0.1/24");
        written(senior, plan(senior));
        VpnInstance junior = in("b", "two", 1, "10.25.0.1/24");
        InstancePlan plan = plan(junior, senior);

        VpnInstanceStatus status = plan.applyTo(new VpnInstanceStatus(), 1L, null, Clock.systemUTC());

        assertThat(status.getListenPort()).isEqualTo(51831);
        assertThat(status.getEndpoint()).isEqualTo("vpn.example.com:51831");
        assertThat(PlanFixtures.config(planOf(plan, "alice"))).contains("Endpoint = vpn.example.com:51831\n");
        assertThat(status.getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo(ConditionTypes.ACCEPTED);
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getObservedGeneration()).isEqualTo(1L);
        });
    }
}
