package io.peerwarden.core.plan;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.peerwarden.core.status.ConditionState;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.status.Conditions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Builders and fakes for planner tests: a cluster in memory that the planner reads and its output is fed back into. */
final class PlanFixtures {

    static final String NS = "vpn";
    static final String INSTANCE = "wg";
    static final String NODE = "node-a";
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private PlanFixtures() {
    }

    // ---- resources ---------------------------------------------------------------------------

    static VpnInstance instance(String... addresses) {
        return instance(INSTANCE, 0, addresses);
    }

    static VpnInstance instance(String name, int createdSecond, String... addresses) {
        VpnInstanceSpec spec = new VpnInstanceSpec();
        spec.setAddress(List.of(addresses));
        spec.setNodeName(NODE);
        spec.setEndpoint("vpn.example.com");
        VpnInstance instance = new VpnInstance();
        instance.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName(name).withUid("uid-instance-" + name)
                .withGeneration(1L).withCreationTimestamp(at(createdSecond)).build());
        instance.setSpec(spec);
        return instance;
    }

    static VpnPeer peer(String name, int createdSecond) {
        return peer(NS, name, createdSecond, spec -> { });
    }

    static VpnPeer peer(String name, int createdSecond, Consumer<VpnPeerSpec> customize) {
        return peer(NS, name, createdSecond, customize);
    }

    static VpnPeer peer(String namespace, String name, int createdSecond, Consumer<VpnPeerSpec> customize) {
        VpnPeerSpec spec = new VpnPeerSpec();
        spec.setInstanceRef(new InstanceRef(INSTANCE));
        customize.accept(spec);
        VpnPeer peer = new VpnPeer();
        peer.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).withUid("uid-" + namespace + "-" + name)
                .withGeneration(1L).withCreationTimestamp(at(createdSecond)).build());
        peer.setSpec(spec);
        peer.setStatus(null);
        return peer;
    }

    static Consumer<VpnPeerSpec> allowed(String... cidrs) {
        return s -> s.setAllowedIPs(List.of(cidrs));
    }

    static Consumer<VpnPeerSpec> site(String... subnets) {
        return s -> {
            s.setType("site");
            s.setSubnets(List.of(subnets));
        };
    }

    static String at(int second) {
        return Conditions.timestamp(T0.plusSeconds(second));
    }

    static List<NodeInfo> nodes(String... names) {
        List<NodeInfo> nodes = new ArrayList<>();
        for (String name : names) {
            nodes.add(new NodeInfo(name, Map.of("kubernetes.io/hostname", name)));
        }
        return nodes;
    }

    // ---- reading results ---------------------------------------------------------------------

    static PeerPlan planOf(InstancePlan plan, String name) {
        return plan.peers().stream().filter(p -> p.peer().getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no plan for peer " + name));
    }

    static ConditionState condition(PeerPlan plan, String type) {
        return plan.conditions().stream().filter(c -> c.type().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + plan.conditions()));
    }

    static String config(PeerPlan plan) {
        if (plan.secret() == null) {
            throw new AssertionError("no config Secret planned for " + plan.peer().getMetadata().getName());
        }
        return decode(plan.secret().data().get(Labels.CONFIG));
    }

    static String decode(String base64) {
        return base64 == null ? null : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    // ---- fakes -------------------------------------------------------------------------------

    /** Keys derived from a counter: deterministic and valid (real X25519 public keys). */
    static final class FakeKeys implements KeySource {
        final AtomicInteger privateKeys = new AtomicInteger();
        final AtomicInteger presharedKeys = new AtomicInteger();

        @Override
        public String generatePrivateKey() {
            byte[] key = sha256("private-" + privateKeys.incrementAndGet());
            key[0] &= (byte) 248;
            key[31] &= (byte) 127;
            key[31] |= (byte) 64;
            return Base64.getEncoder().encodeToString(key);
        }

        @Override
        public String generatePresharedKey() {
            return Base64.getEncoder().encodeToString(sha256("psk-" + presharedKeys.incrementAndGet()));
        }

        int generated() {
            return privateKeys.get() + presharedKeys.get();
        }
    }

    static String fixedKey(String seed) {
        return new FakeKeysFromSeed(seed).generatePrivateKey();
    }

    private record FakeKeysFromSeed(String seed) {
        String generatePrivateKey() {
            byte[] key = sha256(seed);
            key[0] &= (byte) 248;
            key[31] &= (byte) 127;
            key[31] |= (byte) 64;
            return Base64.getEncoder().encodeToString(key);
        }
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Secrets of the cluster in memory; the plan's desired Secrets are written into it as the operator's SecretWriter would. */
    static final class FakeSecrets implements SecretLookup {
        final Map<String, SecretState> byName = new LinkedHashMap<>();

        @Override
        public Optional<SecretState> find(String namespace, String name) {
            return Optional.ofNullable(byName.get(namespace + "/" + name));
        }

        FakeSecrets put(String name, Map<String, String> data, Map<String, String> annotations) {
            byName.put(NS + "/" + name, new SecretState(data, annotations, Map.of()));
            return this;
        }

        /** A Secret the operator made earlier (labelled as its own), e.g. a peer's config Secret. */
        FakeSecrets putManaged(String name, Map<String, String> data, Map<String, String> annotations) {
            byName.put(NS + "/" + name, new SecretState(data, annotations, Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)));
            return this;
        }

        /** A user Secret holding {@code key} (plain text) under {@code dataKey}, base64 as stored. */
        FakeSecrets putKey(String name, String dataKey, String key) {
            return put(name, Map.of(dataKey, b64(key)), Map.of());
        }

        void write(DesiredSecret desired) {
            String id = desired.namespace() + "/" + desired.name();
            SecretState current = byName.get(id);
            if (current != null && desired.createOnly()) {
                return;
            }
            Map<String, String> annotations = new HashMap<>(current == null ? Map.of() : current.annotations());
            annotations.putAll(desired.annotations());
            Map<String, String> labels = new HashMap<>(current == null ? Map.of() : current.labels());
            labels.putAll(desired.labels());
            byName.put(id, new SecretState(Map.copyOf(desired.data()), annotations, labels));
        }

        void writeAll(InstancePlan plan) {
            if (plan.keySecret() != null) {
                write(plan.keySecret());
            }
            for (PeerPlan p : plan.peers()) {
                if (p.secret() != null) {
                    write(p.secret());
                }
            }
        }
    }

    // ---- feeding the plan back as the operator would ------------------------------------------

    /** The peer status the operator would write: the plan applied to a copy of the current status. */
    static VpnPeerStatus statusAfter(PeerPlan plan, Clock clock) {
        VpnPeer peer = plan.peer();
        VpnPeerStatus current = peer.getStatus() == null ? new VpnPeerStatus() : copy(peer.getStatus());
        return plan.applyTo(current, clock);
    }

    /** New peer objects whose status is what the operator wrote for them. */
    static List<VpnPeer> withStatuses(InstancePlan plan, Clock clock) {
        List<VpnPeer> result = new ArrayList<>();
        for (PeerPlan p : plan.peers()) {
            VpnPeer copy = copy(p.peer());
            copy.setStatus(statusAfter(p, clock));
            result.add(copy);
        }
        return result;
    }

    static <T> T copy(T value) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) value.getClass();
        return Serialization.unmarshal(Serialization.asJson(value), type);
    }

    static String json(Object value) {
        return Serialization.asJson(value);
    }

    static Optional<Condition> statusCondition(VpnPeerStatus status, String type) {
        return Conditions.find(status.getConditions(), type);
    }
}
