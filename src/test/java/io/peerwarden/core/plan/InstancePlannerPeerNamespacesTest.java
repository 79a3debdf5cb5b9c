package io.peerwarden.core.plan;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.PeerNamespaces;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.tenancy.NamespaceLabels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.allowed;
import static io.peerwarden.core.plan.PlanFixtures.condition;
import static io.peerwarden.core.plan.PlanFixtures.fixedKey;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Peers of other namespaces in one instance's plan: admitted ones share its pool and seniority, others claim nothing. */
class InstancePlannerPeerNamespacesTest {

    private final InstancePlanner planner = new InstancePlanner(new PlanFixtures.FakeKeys());
    private final PlanFixtures.FakeSecrets secrets = new PlanFixtures.FakeSecrets();
    private final VpnInstance instance = instance("10.24.0.1/24");
    private NamespaceLabels labels = ns -> Optional.of(Map.of());

    private InstancePlan plan(VpnPeer... peers) {
        return planner.plan(instance, List.of(peers), secrets, new AllocationLedger(), nodes(NODE), List.of(), Map.of(), labels);
    }

    private static VpnPeer from(String namespace, String name, int second, java.util.function.Consumer<io.peerwarden.api.v1alpha1.VpnPeerSpec> spec) {
        return peer(namespace, name, second, s -> {
            s.setInstanceRef(new InstanceRef(PlanFixtures.INSTANCE, PlanFixtures.NS));
            spec.accept(s);
        });
    }

    @Test
    void aPeerOfAnotherNamespaceIsNotAllowedByDefaultAndClaimsNothing() {
        VpnPeer intruder = from("team-b", "grab", 1, allowed("10.24.0.10/32"));
        VpnPeer local = peer("desk", 2, allowed("10.24.0.10/32"));

        InstancePlan plan = plan(intruder, local);

        PeerPlan grab = planOf(plan, "grab");
        assertThat(condition(grab, ConditionTypes.VALID).reason()).isEqualTo(Reasons.NOT_ALLOWED);
        assertThat(condition(grab, ConditionTypes.VALID).message())
                .startsWith("VpnInstance " + PlanFixtures.NS + "/" + PlanFixtures.INSTANCE + " allows peers only from its own namespace");
        assertThat(grab.valid()).isFalse();
        assertThat(grab.secret()).isNull();
        assertThat(planOf(plan, "desk").valid()).as("the older intruder reserves no address").isTrue();
        assertThat(plan.allocations()).doesNotContainKey(intruder.getMetadata().getUid());
    }

    @Test
    void aPeerNotAllowedReservesNoPublicKey() {
        String key = WireGuardKeys.publicKeyOf(fixedKey("laptop"));
        VpnPeer intruder = from("team-b", "grab", 1, s -> s.setPublicKey(key));
        VpnPeer local = peer("laptop", 2, s -> s.setPublicKey(key));

        assertThat(planOf(plan(intruder, local), "laptop").valid()).isTrue();
    }

    @Test
    void admittedPeersOfSeveralNamespacesShareThePoolAndSeniority() {
        instance.getSpec().setPeerNamespaces(new PeerNamespaces(PeerNamespaces.ALL, null));
        VpnPeer older = from("team-b", "hq", 1, allowed("10.24.0.10/32"));
        VpnPeer younger = peer("desk", 2, allowed("10.24.0.10/32"));
        VpnPeer allocated = from("team-c", "phone", 3, s -> { });

        InstancePlan plan = plan(older, younger, allocated);

        assertThat(planOf(plan, "hq").valid()).isTrue();
        assertThat(condition(planOf(plan, "desk"), ConditionTypes.VALID).reason()).isEqualTo(Reasons.ALLOWED_IP_TAKEN);
        assertThat(condition(planOf(plan, "desk"), ConditionTypes.VALID).message()).contains("team-b/hq");
        assertThat(planOf(plan, "phone").allowedIPs()).containsExactly("10.24.0.2/32");
        assertThat(planOf(plan, "phone").secret().namespace()).as("the config Secret stays in the peer's namespace").isEqualTo("team-c");
    }

    @Test
    void aSelectedNamespaceIsAdmittedOnceItHasTheLabel() {
        instance.getSpec().setPeerNamespaces(new PeerNamespaces(PeerNamespaces.SELECTOR,
                new LabelSelectorBuilder().addToMatchLabels("vpn", "office").build()));
        VpnPeer laptop = from("team-b", "laptop", 1, s -> { });

        assertThat(condition(planOf(plan(laptop), "laptop"), ConditionTypes.VALID).reason()).isEqualTo(Reasons.NOT_ALLOWED);

        labels = ns -> Optional.of(Map.of("vpn", "office"));
        PeerPlan admitted = planOf(plan(laptop), "laptop");
        assertThat(condition(admitted, ConditionTypes.VALID).status()).isEqualTo(Conditions.TRUE);
        assertThat(admitted.valid()).isTrue();
    }
}
