package io.peerwarden.core.plan;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.admission.PeerAdmission;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.status.ConditionState;
import io.peerwarden.core.status.Conditions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.allowed;
import static io.peerwarden.core.plan.PlanFixtures.condition;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook's verdict is read off the plan the reconciler would make for the same cache with the candidate in it:
 * it refuses the user's own mistakes with the condition's reason and message, and never refuses a peer the reconciler
 * would accept (asserted against the plan itself in every case).
 */
class PeerAdmissionTest {

    private final InstancePlanner planner = new InstancePlanner(new PlanFixtures.FakeKeys());
    private final PlanFixtures.FakeSecrets secrets = new PlanFixtures.FakeSecrets();
    private final VpnInstance instance = instance("10.24.0.1/24");
    private final List<VpnPeer> cached = new ArrayList<>(List.of(peer("holder", 1, allowed("10.24.0.10/32"))));

    /** A peer as kubectl apply sends it on create: no UID, no creationTimestamp, no status. */
    private static VpnPeer candidate(String namespace, String name, Consumer<io.peerwarden.api.v1alpha1.VpnPeerSpec> spec) {
        VpnPeer peer = peer(namespace, name, 0, spec);
        peer.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        return peer;
    }

    private static VpnPeer candidate(String name, Consumer<io.peerwarden.api.v1alpha1.VpnPeerSpec> spec) {
        return candidate(PlanFixtures.NS, name, spec);
    }

    private PeerAdmission.Verdict decide(VpnPeer candidate) {
        List<VpnPeer> peers = new ArrayList<>(cached.stream().filter(p -> !Seniority.key(p).equals(Seniority.key(candidate))).toList());
        peers.add(candidate);
        InstancePlan plan = planner.plan(instance, peers, secrets, new AllocationLedger(), nodes(NODE), List.of(), Map.of(),
                ns -> Optional.of(Map.of()));
        PeerAdmission.Verdict verdict = PeerAdmission.decide(candidate, Optional.of(plan));
        ConditionState valid = condition(planOf(plan, candidate.getMetadata().getName()), ConditionTypes.VALID);
        if (!verdict.allowed()) {
            // never stricter than the reconciler: a refusal is exactly its Valid=False
            assertThat(valid.status()).isEqualTo(Conditions.FALSE);
            assertThat(verdict.reason()).isEqualTo(valid.reason());
            assertThat(verdict.message()).isEqualTo(valid.message());
        }
        if (Conditions.TRUE.equals(valid.status())) {
            assertThat(verdict.allowed()).as("the reconciler accepts it").isTrue();
        }
        return verdict;
    }

    @Test
    void aCollidingPeerIsRefusedWithTheSeedMessageNamingTheHolder() {
        PeerAdmission.Verdict verdict = decide(candidate("laptop", allowed("10.24.0.10/32")));

        assertThat(verdict.allowed()).isFalse();
        assertThat(verdict.reason()).isEqualTo(Reasons.ALLOWED_IP_TAKEN);
        assertThat(verdict.message()).startsWith("Allowed IP already taken by another peer: 10.24.0.10/32 in spec.allowedIPs overlaps")
                .contains("held by VpnPeer vpn/holder");
    }

    @Test
    void aFreePeerAndAnAllocatedPeerAreAllowed() {
        assertThat(decide(candidate("laptop", allowed("10.24.0.11/32"))).allowed()).isTrue();
        assertThat(decide(candidate("phone", s -> { })).allowed()).isTrue();
    }

    @Test
    void anUpdateOfTheSeniorHolderIsAllowedEvenWhenAJuniorPeerCollidesWithIt() {
        cached.add(peer("junior", 5, allowed("10.24.0.12/32")));
        VpnPeer holder = peer("holder", 1, allowed("10.24.0.10/32", "10.24.0.12/32"));

        // the reconciler gives the senior its addresses and refuses the junior: the webhook must not refuse the senior
        assertThat(decide(holder).allowed()).isTrue();
    }

    @Test
    void wrongDnsMtuKeepaliveAndEndpointAllowedIpsAreRefusedWithTheirReasons() {
        assertThat(decide(candidate("a", s -> s.setDns(List.of("not a resolver")))).reason()).isEqualTo(Reasons.INVALID_DNS);
        assertThat(decide(candidate("b", s -> s.setMtu(100))).reason()).isEqualTo(Reasons.INVALID_MTU);
        assertThat(decide(candidate("c", s -> s.setPersistentKeepalive(-1))).reason()).isEqualTo(Reasons.INVALID_KEEPALIVE);
        assertThat(decide(candidate("d", s -> s.setEndpointAllowedIPs(List.of("10.0.0.0/99")))).reason())
                .isEqualTo(Reasons.INVALID_ENDPOINT_ALLOWED_IPS);
    }

    @Test
    void aPublicKeyHeldByAnotherPeerIsRefused() {
        String key = WireGuardKeys.publicKeyOf(PlanFixtures.fixedKey("shared"));
        cached.add(peer("first", 2, s -> s.setPublicKey(key)));

        PeerAdmission.Verdict verdict = decide(candidate("second", s -> s.setPublicKey(key)));

        assertThat(verdict.allowed()).isFalse();
        assertThat(verdict.reason()).isEqualTo(Reasons.PUBLIC_KEY_TAKEN);
    }

    @Test
    void aPrivateKeyThatDoesNotMatchThePublicKeyIsRefused() {
        String privateKey = PlanFixtures.fixedKey("mine");
        secrets.putKey("my-key", "privateKey", privateKey);

        PeerAdmission.Verdict verdict = decide(candidate("mismatch", s -> {
            s.setPrivateKeySecretRef(new SecretKeyRef("my-key", "privateKey"));
            s.setPublicKey(WireGuardKeys.publicKeyOf(PlanFixtures.fixedKey("someone else")));
        }));

        assertThat(verdict.allowed()).isFalse();
        assertThat(verdict.reason()).isEqualTo(Reasons.KEY_MISMATCH);
    }

    @Test
    void aPeerFromANamespaceTheInstanceDoesNotAdmitIsRefused() {
        PeerAdmission.Verdict verdict = decide(candidate("team-b", "grab", s -> {
            s.setInstanceRef(new InstanceRef(PlanFixtures.INSTANCE, PlanFixtures.NS));
            s.setAllowedIPs(List.of("10.24.0.20/32"));
        }));

        assertThat(verdict.allowed()).isFalse();
        assertThat(verdict.reason()).isEqualTo(Reasons.NOT_ALLOWED);
    }

    @Test
    void whatCanStillChangeWithoutTouchingThePeerIsAllowed() {
        // the referenced Secret may be created right after the peer (one kubectl apply -f of both)
        PeerAdmission.Verdict verdict = decide(candidate("later", s -> s.setPrivateKeySecretRef(new SecretKeyRef("not-yet", "privateKey"))));
        assertThat(verdict.allowed()).isTrue();
        // an instance that is not in the cache: the orphan path decides, nothing is refused
        assertThat(PeerAdmission.decide(candidate("orphan", allowed("10.24.0.10/32")), Optional.empty()).allowed()).isTrue();
    }
}
