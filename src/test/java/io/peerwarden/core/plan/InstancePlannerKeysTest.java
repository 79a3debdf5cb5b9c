package io.peerwarden.core.plan;

import java.util.Map;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.condition;
import static io.peerwarden.core.plan.PlanFixtures.config;
import static io.peerwarden.core.plan.PlanFixtures.decode;
import static io.peerwarden.core.plan.PlanFixtures.fixedKey;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.core.status.ConditionState;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.PresharedKeySpec;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.render.WgQuickConfigRenderer;
import io.peerwarden.core.status.Conditions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Peer and instance keys: generated once and kept, or taken from the user, never minted for a broken peer. */
class InstancePlannerKeysTest {

    private final PlanFixtures.FakeKeys keys = new PlanFixtures.FakeKeys();
    private final InstancePlanner planner = new InstancePlanner(keys);
    private final PlanFixtures.FakeSecrets secrets = new PlanFixtures.FakeSecrets();
    private final VpnInstance instance = instance("10.24.0.1/24");

    private InstancePlan plan(VpnInstance instance, VpnPeer... peers) {
        return planner.plan(instance, List.of(peers), secrets, new AllocationLedger(), nodes(NODE), List.of());
    }

    private InstancePlan plan(VpnPeer... peers) {
        return plan(instance, peers);
    }

    // ---- peer keys ---------------------------------------------------------------------------

    @Test
    void generatedKeysAreWrittenOnceAndReusedFromTheManagedSecret() {
        InstancePlan first = plan(peer("p", 1));
        DesiredSecret secret = planOf(first, "p").secret();
        String privateKey = decode(secret.data().get(Labels.PRIVATE_KEY));
        String psk = decode(secret.data().get(Labels.PRESHARED_KEY));
        assertThat(WireGuardKeys.isValid(privateKey)).isTrue();
        assertThat(WireGuardKeys.isValid(psk)).isTrue();
        assertThat(decode(secret.data().get(Labels.PUBLIC_KEY))).isEqualTo(WireGuardKeys.publicKeyOf(privateKey));
        assertThat(planOf(first, "p").publicKey()).isEqualTo(WireGuardKeys.publicKeyOf(privateKey));
        assertThat(config(planOf(first, "p"))).contains("PrivateKey = " + privateKey).contains("PresharedKey = " + psk);
        secrets.writeAll(first);
        int generated = keys.generated();

        // a restart: fresh planner state, the Secrets as the cluster holds them
        InstancePlan second = new InstancePlanner(keys).plan(instance, List.of(peer("p", 1)), secrets, new AllocationLedger(),
                nodes(NODE), List.of());

        DesiredSecret again = planOf(second, "p").secret();
        assertThat(keys.generated()).as("no key generated again").isEqualTo(generated);
        assertThat(decode(again.data().get(Labels.PRIVATE_KEY))).isEqualTo(privateKey);
        assertThat(decode(again.data().get(Labels.PRESHARED_KEY))).isEqualTo(psk);
        assertThat(again.data()).isEqualTo(secret.data());
    }

    @Test
    void aUsersSecretUnderTheConfigNameIsNeverReadOrWrittenAndThePeerSaysWhy() {
        secrets.put(Labels.peerConfigSecretName("p"), Map.of(Labels.PRIVATE_KEY, PlanFixtures.b64(WireGuardKeys.generatePrivateKey())),
                Map.of(Labels.ALLOWED_IPS_ANNOTATION, "10.24.0.99/32"));

        PeerPlan p = planOf(plan(peer("p", 1)), "p");

        assertThat(p.secret()).as("nothing is written over the user's Secret").isNull();
        assertThat(condition(p, ConditionTypes.VALID).reason()).isEqualTo(Reasons.SECRET_NAME_TAKEN);
        assertThat(condition(p, ConditionTypes.VALID).message()).contains("p-wireguard").contains("not created by Peerwarden");
        assertThat(p.allowedIPs()).as("a foreign annotation is no allocation record").doesNotContain("10.24.0.99/32");
    }

    @Test
    void aUsersSecretUnderTheInstanceKeyNameIsNotTakenForTheGeneratedKey() {
        secrets.putKey(Labels.instanceKeySecretName(instance.getMetadata().getName()), Labels.PRIVATE_KEY,
                WireGuardKeys.generatePrivateKey());

        InstancePlan plan = plan(peer("p", 1));

        assertThat(plan.keySecret()).isNull();
        assertThat(plan.keyReady().status()).isEqualTo("False");
        assertThat(plan.keyReady().reason()).isEqualTo(Reasons.SECRET_NAME_TAKEN);
    }

    @Test
    void recreatedPeerGetsFreshKeysNotThoseOfTheDeletedPeerOfTheSameName() {
        InstancePlan first = plan(peer("p", 1));
        secrets.writeAll(first);
        String oldKey = decode(planOf(first, "p").secret().data().get(Labels.PRIVATE_KEY));
        VpnPeer recreated = peer("p", 50);
        recreated.getMetadata().setUid("uid-new");

        InstancePlan second = plan(recreated);

        assertThat(decode(planOf(second, "p").secret().data().get(Labels.PRIVATE_KEY))).isNotEqualTo(oldKey);
    }

    @Test
    void bringYourOwnPublicKeyRendersAConfigWithoutPrivateKey() {
        String publicKey = WireGuardKeys.publicKeyOf(fixedKey("laptop"));

        PeerPlan p = planOf(plan(peer("p", 1, s -> s.setPublicKey(publicKey))), "p");

        assertThat(p.valid()).isTrue();
        assertThat(p.publicKey()).isEqualTo(publicKey);
        assertThat(config(p)).contains(WgQuickConfigRenderer.PRIVATE_KEY_PLACEHOLDER).doesNotContain("\nPrivateKey =");
        assertThat(p.secret().data()).doesNotContainKey(Labels.PRIVATE_KEY);
        assertThat(decode(p.secret().data().get(Labels.PUBLIC_KEY))).isEqualTo(publicKey);
        assertThat(keys.privateKeys.get()).as("only the instance key is generated").isEqualTo(1);
    }

    @Test
    void privateKeyFromAUserSecretWithMatchingPublicKeyIsValid() {
        String privateKey = fixedKey("router");
        secrets.putKey("router-key", "wgkey", privateKey + "\n");

        PeerPlan p = planOf(plan(peer("p", 1, s -> {
            s.setPrivateKeySecretRef(new SecretKeyRef("router-key", "wgkey"));
            s.setPublicKey(WireGuardKeys.publicKeyOf(privateKey));
        })), "p");

        assertThat(p.valid()).isTrue();
        assertThat(p.publicKey()).isEqualTo(WireGuardKeys.publicKeyOf(privateKey));
        assertThat(config(p)).contains("PrivateKey = " + privateKey);
    }

    @Test
    void validReportsEveryOwnProblemOfAPeerEvenWhileItsInstanceIsNotReady() {
        secrets.putKey("router-key", Labels.PRIVATE_KEY, fixedKey("router"));
        String otherPublic = WireGuardKeys.publicKeyOf(fixedKey("someone else"));
        VpnInstance broken = instance("10.24.0.1/24");
        broken.getSpec().setPrivateKeySecretRef(new SecretKeyRef("missing-server-key", null));

        PeerPlan p = planOf(plan(broken, peer("p", 1, s -> {
            s.setPrivateKeySecretRef(new SecretKeyRef("router-key", null));
            s.setPublicKey(otherPublic);
            s.setDns(java.util.List.of("not a dns entry"));
        })), "p");

        ConditionState valid = condition(p, ConditionTypes.VALID);
        assertThat(valid.status()).isEqualTo(Conditions.FALSE);
        assertThat(valid.reason()).isNotEqualTo(Reasons.INSTANCE_NOT_READY);
        assertThat(valid.message()).contains("DNS format is incorrect").contains("Private key does not match with the public key")
                .doesNotContain("missing-server-key");
        assertThat(keys.generated()).isZero();
    }

    @Test
    void privateKeyFromAUserSecretThatDoesNotMatchThePublicKeyIsKeyMismatch() {
        secrets.putKey("router-key", Labels.PRIVATE_KEY, fixedKey("router"));
        String otherPublic = WireGuardKeys.publicKeyOf(fixedKey("someone else"));

        PeerPlan p = planOf(plan(peer("p", 1, s -> {
            s.setPrivateKeySecretRef(new SecretKeyRef("router-key", null));
            s.setPublicKey(otherPublic);
        })), "p");

        assertThat(p.valid()).isFalse();
        ConditionState valid = condition(p, ConditionTypes.VALID);
        assertThat(valid.reason()).isEqualTo(Reasons.KEY_MISMATCH);
        assertThat(valid.message()).contains("Private key does not match with the public key").doesNotContain(fixedKey("router"));
        assertThat(p.secret()).isNull();
    }

    @Test
    void missingUserKeySecretIsKeySecretNotFound() {
        PeerPlan p = planOf(plan(peer("p", 1, s -> s.setPrivateKeySecretRef(new SecretKeyRef("nowhere", null)))), "p");

        assertThat(p.valid()).isFalse();
        assertThat(condition(p, ConditionTypes.VALID).reason()).isEqualTo(Reasons.KEY_SECRET_NOT_FOUND);
        assertThat(condition(p, ConditionTypes.VALID).message()).contains("nowhere");
        assertThat(p.secret()).isNull();
    }

    @Test
    void presharedKeyModeNoneLeavesItOutOfConfigAndSecret() {
        PeerPlan p = planOf(plan(peer("p", 1, s -> s.setPresharedKey(new PresharedKeySpec(PresharedKeySpec.NONE, null)))), "p");

        assertThat(p.valid()).isTrue();
        assertThat(config(p)).doesNotContain("PresharedKey");
        assertThat(p.secret().data()).doesNotContainKey(Labels.PRESHARED_KEY);
        assertThat(keys.presharedKeys.get()).isZero();
    }

    @Test
    void presharedKeyModeSecretIsReadFromTheUserSecret() {
        String psk = WireGuardKeys.generatePresharedKey();
        secrets.putKey("shared", Labels.PRESHARED_KEY, psk);

        PeerPlan p = planOf(plan(peer("p", 1, s -> s.setPresharedKey(
                new PresharedKeySpec(PresharedKeySpec.SECRET, new SecretKeyRef("shared", null))))), "p");

        assertThat(p.valid()).isTrue();
        assertThat(config(p)).contains("PresharedKey = " + psk);
        assertThat(decode(p.secret().data().get(Labels.PRESHARED_KEY))).isEqualTo(psk);
        assertThat(keys.presharedKeys.get()).isZero();
    }

    @Test
    void presharedKeyModeSecretWithMissingSecretIsKeySecretNotFound() {
        PeerPlan p = planOf(plan(peer("p", 1, s -> s.setPresharedKey(
                new PresharedKeySpec(PresharedKeySpec.SECRET, new SecretKeyRef("absent", null))))), "p");

        assertThat(condition(p, ConditionTypes.VALID).reason()).isEqualTo(Reasons.KEY_SECRET_NOT_FOUND);
    }

    @Test
    void brokenPeerNeverMintsKeys() {
        plan(peer("p", 1, s -> s.setMtu(5)));

        assertThat(keys.privateKeys.get()).as("only the instance key").isEqualTo(1);
        assertThat(keys.presharedKeys.get()).isZero();
    }

    // ---- instance key ------------------------------------------------------------------------

    @Test
    void instanceWithoutKeyRefGetsAGeneratedKeySecretCreatedOnlyOnce() {
        InstancePlan first = plan(peer("p", 1));

        DesiredSecret keySecret = first.keySecret();
        assertThat(keySecret).isNotNull();
        assertThat(keySecret.createOnly()).isTrue();
        assertThat(keySecret.name()).isEqualTo(Labels.instanceKeySecretName(PlanFixtures.INSTANCE));
        String privateKey = decode(keySecret.data().get(Labels.PRIVATE_KEY));
        assertThat(first.publicKey()).isEqualTo(WireGuardKeys.publicKeyOf(privateKey));
        assertThat(first.keyReady().status()).isEqualTo(Conditions.TRUE);
        assertThat(first.keyReady().reason()).isEqualTo(Reasons.KEY_GENERATED);
        assertThat(config(planOf(first, "p"))).contains("PublicKey = " + first.publicKey());

        secrets.writeAll(first);
        InstancePlan second = plan(peer("p", 1));

        assertThat(second.keySecret()).as("nothing to create once the Secret exists").isNull();
        assertThat(second.publicKey()).isEqualTo(first.publicKey());
        assertThat(keys.privateKeys.get()).isEqualTo(2);
    }

    @Test
    void instanceKeyFromTheUserSecret() {
        String privateKey = fixedKey("server");
        secrets.putKey("server-key", Labels.PRIVATE_KEY, privateKey);
        VpnInstance withRef = instance("10.24.0.1/24");
        withRef.getSpec().setPrivateKeySecretRef(new SecretKeyRef("server-key", null));

        InstancePlan plan = plan(withRef, peer("p", 1));

        assertThat(plan.keySecret()).isNull();
        assertThat(plan.usable()).isTrue();
        assertThat(plan.publicKey()).isEqualTo(WireGuardKeys.publicKeyOf(privateKey));
        assertThat(plan.keyReady().reason()).isEqualTo(Reasons.KEY_FROM_SECRET);
    }

    @Test
    void instanceWhoseKeySecretIsMissingIsNotReadyAndItsPeersAreInstanceNotReady() {
        VpnInstance withRef = instance("10.24.0.1/24");
        withRef.getSpec().setPrivateKeySecretRef(new SecretKeyRef("server-key", null));

        InstancePlan plan = plan(withRef, peer("p", 1), peer("q", 2, PlanFixtures.allowed("10.24.0.9/32")));

        assertThat(plan.usable()).isFalse();
        assertThat(plan.keySecret()).as("never generate over a user's reference").isNull();
        assertThat(plan.keyReady().status()).isEqualTo(Conditions.FALSE);
        assertThat(plan.keyReady().reason()).isEqualTo(Reasons.KEY_SECRET_NOT_FOUND);
        assertThat(plan.problem().reason()).isEqualTo(Reasons.KEY_SECRET_NOT_FOUND);
        for (PeerPlan p : plan.peers()) {
            assertThat(p.valid()).isFalse();
            // the peer's own spec is fine: InstanceNotReady is not a problem of its Valid, but of what follows
            assertThat(condition(p, ConditionTypes.VALID).status()).isEqualTo(Conditions.TRUE);
            assertThat(condition(p, ConditionTypes.CONFIG_RENDERED).reason()).isEqualTo(Reasons.INSTANCE_NOT_READY);
            assertThat(condition(p, ConditionTypes.CONFIG_RENDERED).message()).contains("server-key");
            io.fabric8.kubernetes.api.model.Condition ready = p.applyTo(new io.peerwarden.api.v1alpha1.VpnPeerStatus(),
                    java.time.Clock.systemUTC()).getConditions().stream()
                    .filter(c -> ConditionTypes.READY.equals(c.getType())).findFirst().orElseThrow();
            assertThat(ready.getStatus()).isEqualTo(Conditions.FALSE);
            assertThat(ready.getReason()).isEqualTo(Reasons.INSTANCE_NOT_READY);
            assertThat(p.secret()).isNull();
        }
        assertThat(keys.generated()).isZero();
    }

    @Test
    void instanceKeySecretWithoutValidKeyIsInvalidKey() {
        secrets.putKey("server-key", Labels.PRIVATE_KEY, "not a key");
        VpnInstance withRef = instance("10.24.0.1/24");
        withRef.getSpec().setPrivateKeySecretRef(new SecretKeyRef("server-key", null));

        InstancePlan plan = plan(withRef);

        assertThat(plan.keyReady().reason()).isEqualTo(Reasons.INVALID_KEY);
        assertThat(plan.usable()).isFalse();
    }
}
