package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.PeerNamespaces;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.status.ConditionState;
import io.peerwarden.core.status.Conditions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.condition;
import static io.peerwarden.core.plan.PlanFixtures.fixedKey;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * WireGuard tells peers apart by their public key: two peers of one instance with the same key would
 * overwrite each other on the interface, cutting one off. The first holder (seniority) keeps the key,
 * across namespaces; the instance's own key is never a peer's.
 */
class InstancePlannerPublicKeyTest {

    private static final String SHARED = WireGuardKeys.publicKeyOf(fixedKey("laptop"));

    private final InstancePlanner planner = new InstancePlanner(new PlanFixtures.FakeKeys());
    private final PlanFixtures.FakeSecrets secrets = new PlanFixtures.FakeSecrets();
    private final VpnInstance instance = instance("10.24.0.1/24");

    private InstancePlan plan(VpnPeer... peers) {
        return planner.plan(instance, List.of(peers), secrets, new AllocationLedger(), nodes(NODE), List.of());
    }

    private static VpnPeer withKey(String namespace, String name, int second, String publicKey) {
        return peer(namespace, name, second, s -> s.setPublicKey(publicKey));
    }

    @Test
    void aDuplicatePublicKeyIsRefusedAndTheMessageNamesTheEarlierHolder() {
        InstancePlan plan = plan(withKey(PlanFixtures.NS, "thief", 20, SHARED), withKey(PlanFixtures.NS, "owner", 10, SHARED));

        ConditionState thief = condition(planOf(plan, "thief"), ConditionTypes.VALID);
        assertThat(thief.status()).isEqualTo(Conditions.FALSE);
        assertThat(thief.reason()).isEqualTo(Reasons.PUBLIC_KEY_TAKEN);
        assertThat(thief.message()).contains("Public key already used by peer " + PlanFixtures.NS + "/owner of this instance");
        assertThat(planOf(plan, "thief").valid()).as("not applied").isFalse();
        assertThat(planOf(plan, "thief").publicKey()).as("the key is not put into its status").isNull();
        assertThat(planOf(plan, "owner").valid()).isTrue();
        assertThat(planOf(plan, "owner").publicKey()).isEqualTo(SHARED);
    }

    @Test
    void theSeniorHolderWinsAcrossNamespacesWhateverTheOrderGiven() {
        instance.getSpec().setPeerNamespaces(new PeerNamespaces(PeerNamespaces.ALL, null));
        VpnPeer younger = withKey("team-a", "laptop", 20, SHARED);
        VpnPeer older = withKey("team-b", "laptop", 10, SHARED);

        for (InstancePlan plan : List.of(plan(younger, older), plan(older, younger))) {
            PeerPlan a = plan.peers().stream().filter(p -> p.peer().getMetadata().getNamespace().equals("team-a")).findFirst().orElseThrow();
            PeerPlan b = plan.peers().stream().filter(p -> p.peer().getMetadata().getNamespace().equals("team-b")).findFirst().orElseThrow();
            assertThat(condition(a, ConditionTypes.VALID).message()).contains("team-b/laptop");
            assertThat(b.valid()).isTrue();
        }
    }

    @Test
    void theSameKeyFromTwoSecretsIsRefusedForTheYoungerPeer() {
        secrets.putKey("k1", Labels.PRIVATE_KEY, fixedKey("router"));
        secrets.putKey("k2", Labels.PRIVATE_KEY, fixedKey("router"));
        VpnPeer first = peer("first", 1, s -> s.setPrivateKeySecretRef(new SecretKeyRef("k1", null)));
        VpnPeer second = peer("second", 2, s -> s.setPrivateKeySecretRef(new SecretKeyRef("k2", null)));

        InstancePlan plan = plan(first, second);

        ConditionState valid = condition(planOf(plan, "second"), ConditionTypes.VALID);
        assertThat(valid.reason()).isEqualTo(Reasons.PUBLIC_KEY_TAKEN);
        assertThat(valid.message()).contains(PlanFixtures.NS + "/first").contains("spec.privateKeySecretRef")
                .doesNotContain(fixedKey("router"));
        assertThat(planOf(plan, "second").secret()).as("no config rendered").isNull();
        assertThat(planOf(plan, "first").valid()).isTrue();
    }

    @Test
    void theYoungerPeerRecoversWhenTheHolderGoes() {
        VpnPeer owner = withKey(PlanFixtures.NS, "owner", 10, SHARED);
        VpnPeer other = withKey(PlanFixtures.NS, "other", 20, SHARED);
        assertThat(planOf(plan(owner, other), "other").valid()).isFalse();

        PeerPlan alone = planOf(plan(other), "other");

        assertThat(alone.valid()).isTrue();
        assertThat(condition(alone, ConditionTypes.VALID).status()).isEqualTo(Conditions.TRUE);
        assertThat(alone.publicKey()).isEqualTo(SHARED);
    }

    @Test
    void aSeniorHolderWithAnotherProblemKeepsItsKeySoFixingATypoMovesNothing() {
        VpnPeer owner = peer("owner", 10, s -> {
            s.setPublicKey(SHARED);
            s.setDns(List.of("not a dns entry"));
        });
        VpnPeer other = withKey(PlanFixtures.NS, "other", 20, SHARED);

        InstancePlan plan = plan(owner, other);

        assertThat(condition(planOf(plan, "owner"), ConditionTypes.VALID).reason()).isEqualTo(Reasons.INVALID_DNS);
        assertThat(condition(planOf(plan, "other"), ConditionTypes.VALID).reason()).isEqualTo(Reasons.PUBLIC_KEY_TAKEN);
    }

    @Test
    void aPeerMayNotUseTheInstancesOwnPublicKey() {
        secrets.putKey("server-key", Labels.PRIVATE_KEY, fixedKey("server"));
        instance.getSpec().setPrivateKeySecretRef(new SecretKeyRef("server-key", null));
        VpnPeer impostor = withKey(PlanFixtures.NS, "impostor", 1, WireGuardKeys.publicKeyOf(fixedKey("server")));

        InstancePlan plan = plan(impostor);

        ConditionState valid = condition(planOf(plan, "impostor"), ConditionTypes.VALID);
        assertThat(valid.reason()).isEqualTo(Reasons.PUBLIC_KEY_TAKEN);
        assertThat(valid.message()).contains("VpnInstance " + PlanFixtures.NS + "/" + PlanFixtures.INSTANCE + " itself");
        assertThat(planOf(plan, "impostor").valid()).isFalse();
    }

    @Test
    void peersWithDistinctKeysAreAllValid() {
        InstancePlan plan = plan(withKey(PlanFixtures.NS, "a", 1, SHARED),
                withKey(PlanFixtures.NS, "b", 2, WireGuardKeys.publicKeyOf(fixedKey("phone"))), peer("c", 3));

        assertThat(plan.peers()).allMatch(PeerPlan::valid);
    }
}
