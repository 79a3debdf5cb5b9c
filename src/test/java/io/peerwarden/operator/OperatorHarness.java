package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.testing.MockCluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** The real operator against the CRUD mock, plus the waits and builders the integration tests share. */
final class OperatorHarness implements AutoCloseable {

    static final String NS = "default";
    static final String OPERATOR_AGENT = "peerwarden-operator-test";

    final MockCluster cluster;
    final KubernetesClient admin;
    private KubernetesClient operatorClient;
    private PeerwardenOperator operator;

    OperatorHarness() {
        cluster = new MockCluster("worker-1", "worker-2");
        admin = cluster.admin();
    }

    OperatorHarness startOperator() {
        operatorClient = cluster.client(OPERATOR_AGENT);
        operator = PeerwardenOperator.start(operatorClient, OperatorSettings.forTests());
        return this;
    }

    void stopOperator() {
        operator.close();
        operatorClient.close();
        operator = null;
    }

    PeerwardenOperator operator() {
        return operator;
    }

    @Override
    public void close() {
        if (operator != null) {
            stopOperator();
        }
        cluster.close();
    }

    // ---- builders ------------------------------------------------------------------------------

    static VpnInstance instance(String name, String... addresses) {
        VpnInstance instance = new VpnInstance();
        instance.getMetadata().setName(name);
        instance.getMetadata().setNamespace(NS);
        VpnInstanceSpec spec = new VpnInstanceSpec();
        spec.setAddress(List.of(addresses));
        spec.setEndpoint("vpn.example.com");
        spec.setNodeName("worker-1");
        instance.setSpec(spec);
        return instance;
    }

    static VpnPeer peer(String name, String instance, String type) {
        VpnPeer peer = new VpnPeer();
        peer.getMetadata().setName(name);
        peer.getMetadata().setNamespace(NS);
        VpnPeerSpec spec = new VpnPeerSpec();
        spec.setInstanceRef(new InstanceRef(instance));
        spec.setType(type);
        peer.setSpec(spec);
        return peer;
    }

    VpnInstance create(VpnInstance instance) {
        return admin.resource(instance).create();
    }

    VpnPeer create(VpnPeer peer) {
        return admin.resource(peer).create();
    }

    VpnPeer peer(String name) {
        return admin.resources(VpnPeer.class).inNamespace(NS).withName(name).get();
    }

    VpnInstance instance(String name) {
        return admin.resources(VpnInstance.class).inNamespace(NS).withName(name).get();
    }

    Optional<Secret> secret(String name) {
        return Optional.ofNullable(admin.secrets().inNamespace(NS).withName(name).get());
    }

    static String decoded(Secret secret, String key) {
        String value = secret.getData().get(key);
        return value == null ? null : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }

    // ---- waits ---------------------------------------------------------------------------------

    VpnPeer awaitPeer(String name, Predicate<VpnPeer> condition) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> peer(name), p -> p != null && condition.test(p));
    }

    VpnInstance awaitInstance(String name, Predicate<VpnInstance> condition) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> instance(name), i -> i != null && condition.test(i));
    }

    /** The peer's status describes its current generation and the condition has the given status and reason. */
    static Predicate<VpnPeer> condition(String type, String status, String reason) {
        return peer -> peer.getStatus() != null
                && peer.getMetadata().getGeneration().equals(peer.getStatus().getObservedGeneration())
                && Conditions.find(peer.getStatus().getConditions(), type)
                .map(c -> c.getStatus().equals(status) && (reason == null || reason.equals(c.getReason())))
                .orElse(false);
    }

    /** Valid, AddressAssigned and ConfigRendered all True for the current generation. */
    static Predicate<VpnPeer> rendered() {
        return condition(ConditionTypes.VALID, Conditions.TRUE, null)
                .and(condition(ConditionTypes.ADDRESS_ASSIGNED, Conditions.TRUE, null))
                .and(condition(ConditionTypes.CONFIG_RENDERED, Conditions.TRUE, null));
    }

    static Condition conditionOf(VpnPeer peer, String type) {
        return Conditions.find(peer.getStatus().getConditions(), type).orElseThrow();
    }
}
