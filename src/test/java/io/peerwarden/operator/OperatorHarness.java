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
import io.micrometer.core.instrument.Counter;
import io.peerwarden.testing.MockCluster;
import io.peerwarden.testing.RecordingDispatcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** The real operator against the CRUD mock, plus the waits and builders the integration tests share. */
public final class OperatorHarness implements AutoCloseable {

    public static final String NS = "default";
    public static final String OPERATOR_AGENT = "peerwarden-operator-test";

    public final MockCluster cluster;
    public final KubernetesClient admin;
    private KubernetesClient operatorClient;
    private PeerwardenOperator operator;
    private boolean boundedClient = true;

    public OperatorHarness() {
        cluster = new MockCluster("worker-1", "worker-2");
        admin = cluster.admin();
    }

    public OperatorHarness startOperator() {
        return startOperator(OperatorSettings.forTests());
    }

    public OperatorHarness startOperator(OperatorSettings settings) {
        operatorClient = operatorClient();
        operator = PeerwardenOperator.start(operatorClient, settings);
        return this;
    }

    /** With the admission webhook as well, as the chart runs the operator. */
    public OperatorHarness startOperator(OperatorSettings settings, io.peerwarden.operator.webhook.AdmissionWebhook.Settings webhook) {
        operatorClient = operatorClient();
        operator = PeerwardenOperator.start(operatorClient, settings, java.time.Clock.systemUTC(),
                io.peerwarden.core.plan.KeySource.random(), webhook);
        return this;
    }

    /** Whether the operator's client gets its production thread pools ({@link OperatorClient}); false: fabric8's defaults. */
    public OperatorHarness boundedClient(boolean bounded) {
        this.boundedClient = bounded;
        return this;
    }

    private KubernetesClient operatorClient() {
        return boundedClient ? cluster.client(OPERATOR_AGENT, b -> OperatorClient.bounded(b, OperatorClient.DEFAULT_THREADS))
                : cluster.client(OPERATOR_AGENT);
    }

    public void stopOperator() {
        operator.close();
        operatorClient.close();
        operator = null;
    }

    public PeerwardenOperator operator() {
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

    public static VpnInstance instance(String name, String... addresses) {
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

    public static VpnPeer peer(String name, String instance, String type) {
        VpnPeer peer = new VpnPeer();
        peer.getMetadata().setName(name);
        peer.getMetadata().setNamespace(NS);
        VpnPeerSpec spec = new VpnPeerSpec();
        spec.setInstanceRef(new InstanceRef(instance));
        spec.setType(type);
        peer.setSpec(spec);
        return peer;
    }

    public VpnInstance create(VpnInstance instance) {
        return admin.resource(instance).create();
    }

    public VpnPeer create(VpnPeer peer) {
        return admin.resource(peer).create();
    }

    public VpnPeer peer(String name) {
        return admin.resources(VpnPeer.class).inNamespace(NS).withName(name).get();
    }

    public VpnInstance instance(String name) {
        return admin.resources(VpnInstance.class).inNamespace(NS).withName(name).get();
    }

    public Optional<Secret> secret(String name) {
        return Optional.ofNullable(admin.secrets().inNamespace(NS).withName(name).get());
    }

    public static String decoded(Secret secret, String key) {
        String value = secret.getData().get(key);
        return value == null ? null : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }

    // ---- waits ---------------------------------------------------------------------------------

    public VpnPeer awaitPeer(String name, Predicate<VpnPeer> condition) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> peer(name), p -> p != null && condition.test(p));
    }

    public VpnInstance awaitInstance(String name, Predicate<VpnInstance> condition) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> instance(name), i -> i != null && condition.test(i));
    }

    // ---- reconciles and writes ----------------------------------------------------------------

    /** Successful reconciles of one controller so far ({@code peerwarden_reconciles_total{result="success"}}). */
    public double reconciles(String controller) {
        return operator.metrics().registry().find("peerwarden_reconciles_total").tag("controller", controller)
                .tag("result", "success").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The writes the operator sent to the API server after request number {@code mark}. */
    public List<RecordingDispatcher.Call> operatorWritesSince(int mark) {
        return cluster.requests().since(mark).stream()
                .filter(c -> OPERATOR_AGENT.equals(c.userAgent()) && c.isWrite()).toList();
    }

    /**
     * Returns once a whole window passed with neither an operator write nor a finished reconcile: the
     * operator's own write events have come back and found nothing to do.
     */
    public void awaitQuiet(Duration window) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(1)).until(() -> {
            int mark = cluster.requests().size();
            double reconciles = reconciles(VpnInstanceReconciler.NAME) + reconciles(OrphanPeers.NAME);
            Thread.sleep(window.toMillis());
            return operatorWritesSince(mark).isEmpty()
                    && reconciles == reconciles(VpnInstanceReconciler.NAME) + reconciles(OrphanPeers.NAME);
        });
    }

    /**
     * A resync with no input changed: a label nothing selects on node {@code worker-1}, which the
     * instance reconciler watches, so every instance there is planned again. Returns once such a
     * reconcile has run and succeeded, so that a "nothing written" afterwards means something.
     */
    public void resyncInstancesOnWorker1() {
        double before = reconciles(VpnInstanceReconciler.NAME);
        admin.nodes().withName("worker-1").edit(n -> {
            n.getMetadata().getLabels().put("peerwarden.test/touched", String.valueOf(System.nanoTime()));
            return n;
        });
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> reconciles(VpnInstanceReconciler.NAME) > before);
    }

    /** The peer's status describes its current generation and the condition has the given status and reason. */
    public static Predicate<VpnPeer> condition(String type, String status, String reason) {
        return peer -> peer.getStatus() != null
                && peer.getMetadata().getGeneration().equals(peer.getStatus().getObservedGeneration())
                && Conditions.find(peer.getStatus().getConditions(), type)
                .map(c -> c.getStatus().equals(status) && (reason == null || reason.equals(c.getReason())))
                .orElse(false);
    }

    /** Valid, AddressAssigned and ConfigRendered all True for the current generation. */
    public static Predicate<VpnPeer> rendered() {
        return condition(ConditionTypes.VALID, Conditions.TRUE, null)
                .and(condition(ConditionTypes.ADDRESS_ASSIGNED, Conditions.TRUE, null))
                .and(condition(ConditionTypes.CONFIG_RENDERED, Conditions.TRUE, null));
    }

    public static Condition conditionOf(VpnPeer peer, String type) {
        return Conditions.find(peer.getStatus().getConditions(), type).orElseThrow();
    }
}
