package io.peerwarden.core.plan;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.NS;
import static io.peerwarden.core.plan.PlanFixtures.b64;
import static io.peerwarden.core.plan.PlanFixtures.decode;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.keys.WireGuardKeys;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The X25519 public key of each stored private key is derived once by a planner, and again only when the key changes. */
class PublicKeysDerivedOnceTest {

    /** Counts the derivations the planner asks for. */
    private static final class CountingKeys implements KeySource {
        final PlanFixtures.FakeKeys fake = new PlanFixtures.FakeKeys();
        final AtomicInteger derived = new AtomicInteger();

        @Override
        public String generatePrivateKey() {
            return fake.generatePrivateKey();
        }

        @Override
        public String generatePresharedKey() {
            return fake.generatePresharedKey();
        }

        @Override
        public String publicKeyOf(String privateKey) {
            derived.incrementAndGet();
            return fake.publicKeyOf(privateKey);
        }
    }

    private final CountingKeys keys = new CountingKeys();
    private final InstancePlanner planner = new InstancePlanner(keys);
    private final PlanFixtures.FakeSecrets secrets = new PlanFixtures.FakeSecrets();
    private final VpnInstance instance = instance("10.24.0.1/24");
    private final Clock clock = Clock.fixed(PlanFixtures.T0.plusSeconds(3_600), ZoneOffset.UTC);

    private InstancePlan plan(List<VpnPeer> peers) {
        return planner.plan(instance, peers, secrets, new AllocationLedger(), nodes(NODE), List.of());
    }

    @Test
    void unchangedKeysAreDerivedOnceAndAChangedKeyAgain() {
        List<VpnPeer> peers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            peers.add(peer("p" + i, i));
        }
        InstancePlan first = plan(peers);
        assertThat(first.peers()).allMatch(PeerPlan::valid);
        // the instance's generated key and each peer's
        assertThat(keys.derived.get()).isEqualTo(41);
        secrets.writeAll(first);

        InstancePlan second = plan(PlanFixtures.withStatuses(first, clock));
        InstancePlan third = plan(PlanFixtures.withStatuses(second, clock));
        assertThat(keys.derived.get()).as("nothing derived again for unchanged keys").isEqualTo(41);
        for (int i = 0; i < 40; i++) {
            String name = "p" + i;
            assertThat(planOf(third, name).publicKey()).isEqualTo(planOf(first, name).publicKey());
            assertThat(planOf(third, name).secret().data()).isEqualTo(planOf(first, name).secret().data());
        }

        // the private key in p7's Secret changes (say, the user replaced it): its public key is derived again, once
        String replacement = PlanFixtures.fixedKey("another key for p7");
        String id = NS + "/" + Labels.peerConfigSecretName("p7");
        SecretLookup.SecretState stored = secrets.byName.get(id);
        Map<String, String> data = new HashMap<>(stored.data());
        data.put(Labels.PRIVATE_KEY, b64(replacement));
        secrets.byName.put(id, new SecretLookup.SecretState(data, stored.annotations(), stored.labels()));

        InstancePlan fourth = plan(PlanFixtures.withStatuses(third, clock));
        assertThat(keys.derived.get()).isEqualTo(42);
        assertThat(planOf(fourth, "p7").publicKey()).isEqualTo(WireGuardKeys.publicKeyOf(replacement));
        assertThat(decode(planOf(fourth, "p7").secret().data().get(Labels.PUBLIC_KEY))).isEqualTo(WireGuardKeys.publicKeyOf(replacement));
        assertThat(planOf(fourth, "p8").publicKey()).isEqualTo(planOf(first, "p8").publicKey());

        plan(PlanFixtures.withStatuses(fourth, clock));
        assertThat(keys.derived.get()).isEqualTo(42);
    }
}
