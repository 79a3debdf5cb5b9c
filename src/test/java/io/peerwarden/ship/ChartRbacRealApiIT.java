package io.peerwarden.ship;

import io.peerwarden.agent.DataplaneFixture;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.agent.NetNs;
import io.peerwarden.agent.Privileged;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.PresharedKeySpec;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.cli.NamespaceList;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.WgDump;
import io.peerwarden.operator.OperatorHarness;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.operator.PeerwardenOperator;
import io.peerwarden.testing.ApiCallRecorder;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.RealCluster;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.decoded;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chart's RBAC on a real kube-apiserver: its ServiceAccounts, (Cluster)Roles and bindings are
 * applied as {@code helm install} would, and the real operator and the real agent (wireguard-go in a
 * network namespace) run as those ServiceAccounts, configured as the chart's Deployment and DaemonSet
 * configure them (watched namespaces, leader election). The scenario touches every request they make:
 * generated and user-provided keys, client and site peers rendered into Secrets, a collision and a
 * failing {@code wg set} reported as Events, status written by both, a peer edited, peers and an
 * instance deleted. Each client records every response of the API server: one 403 anywhere — even one
 * the component only logs — fails the test, and so does a permission the chart grants that nothing used.
 */
class ChartRbacRealApiIT {

    /** The two ways the chart grants access: ClusterRoles (all namespaces watched) or a Role per watched namespace. */
    enum Scope {
        CLUSTER_WIDE, WATCHED_NAMESPACE;

        String values(String namespace) {
            return this == CLUSTER_WIDE ? null : "watchNamespaces: [" + namespace + "]\n";
        }

        /** Granted, and rightly never sent in this scenario. */
        Set<String> notSentHere(String namespace) {
            String where = this == CLUSTER_WIDE ? "*" : namespace;
            return Set.of(
                    // the re-read after a 409 on a status write, which this scenario does not force
                    "get vpn.peerwarden.io/vpninstances @" + where, "get vpn.peerwarden.io/vpnpeers @" + where,
                    // java-operator-sdk will not start unless a SelfSubjectRulesReview shows it; the Lease is patched
                    "update coordination.k8s.io/leases @" + ChartRenderer.NAMESPACE);
        }
    }

    private static final String OFFICE = "office";
    private static final String BYO = "byo";

    private final Closer closer = new Closer();
    private final DataplaneFixture dataplane = new DataplaneFixture(closer);
    private final ApiCallRecorder operatorCalls = new ApiCallRecorder();
    private final ApiCallRecorder agentCalls = new ApiCallRecorder();
    private final String node = "rbac-node-" + hex();
    private RealCluster cluster;
    private KubernetesClient admin;
    private String namespace;
    private NetNs server;

    @BeforeEach
    void setUp() {
        Privileged.require();
        cluster = RealCluster.shared();
        admin = cluster.admin();
        namespace = cluster.createNamespace("rbac");
        closer.add(() -> cluster.deleteNamespace(namespace));
        cluster.ensureNode(node, Map.of("kubernetes.io/hostname", node), Map.of());
        closer.add(() -> admin.nodes().withName(node).delete());
        server = closer.add(NetNs.create("pwrbac"));
    }

    @AfterEach
    void tearDown() {
        closer.close();
    }

    @ParameterizedTest
    @EnumSource(Scope.class)
    void theOperatorAndTheAgentDoTheirWholeJobWithExactlyWhatTheChartGrants(Scope scope) {
        String values = scope.values(namespace);
        InstalledChartRbac chart = closer.add(InstalledChartRbac.install(cluster, values));
        declareInstancesAndPeers();
        // a Lease left by an earlier test would keep this operator waiting for its expiry
        admin.leases().inNamespace(ChartRenderer.NAMESPACE).withName(OperatorSettings.LEASE_NAME).delete();
        startOperatorAsDeployed(chart.operatorDeployment());
        startAgentAsDeployed(chart.agentDaemonSet());

        VpnPeer laptop = awaitEverythingAppliedAndReported();
        editThenDeletePeersAndAnInstance(laptop);
        Lease lease = waiting("the operator renews its Lease").until(this::lease,
                l -> l != null && l.getSpec().getRenewTime().isAfter(l.getSpec().getAcquireTime()));

        assertThat(lease.getSpec().getHolderIdentity()).as("the operator took the Lease under the chart's RBAC").isNotBlank();
        assertThat(operatorCalls.forbidden()).as("operator requests the API server refused").isEmpty();
        assertThat(agentCalls.forbidden()).as("agent requests the API server refused").isEmpty();
        ChartRbac rbac = ChartRbac.of(values);
        Set<String> notSent = scope.notSentHere(namespace);
        assertThat(unused(rbac, ChartRbacTest.OPERATOR, operatorCalls, notSent)).as("granted to the operator, never used").isEmpty();
        assertThat(unused(rbac, ChartRbacTest.AGENT, agentCalls, notSent)).as("granted to the agent, never used").isEmpty();
    }

    /**
     * office (generated key): a client, a site, a client colliding with the site (an operator Event) and a
     * site wg cannot resolve (an agent Event); byo (the user's key Secret, which the operator reads by name): a client.
     */
    private void declareInstancesAndPeers() {
        createUserKeySecret("byo-key");
        create(instance(OFFICE, "10.84.0.1/24", 51860));
        VpnInstance byo = instance(BYO, "10.85.0.1/24", 51861);
        byo.getSpec().setPrivateKeySecretRef(new SecretKeyRef("byo-key", null));
        create(byo);
        create(peer("laptop", OFFICE, "client"));
        VpnPeer branch = peer("branch", OFFICE, "site");
        branch.getSpec().setAllowedIPs(List.of("10.84.0.10/32"));
        branch.getSpec().setSubnets(List.of("10.86.0.0/24"));
        branch.getSpec().setEndpoint("10.99.0.2:51820");
        create(branch);
        VpnPeer intruder = peer("intruder", OFFICE, "client");
        intruder.getSpec().setAllowedIPs(List.of("10.84.0.10/32"));
        create(intruder);
        VpnPeer broken = peer("broken", OFFICE, "site");
        broken.getSpec().setEndpoint("nonexistent.invalid:51820");
        create(broken);
        create(peer("phone", BYO, "client"));
    }

    /** Every peer and instance reports what a user would see; returns the laptop as it is then. */
    private VpnPeer awaitEverythingAppliedAndReported() {
        VpnPeer laptop = awaitPeer("laptop", ready());
        awaitPeer("branch", ready());
        awaitPeer("phone", ready());
        awaitPeer("intruder", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.ALLOWED_IP_TAKEN));
        awaitPeer("broken", condition(ConditionTypes.APPLIED, Conditions.FALSE, Reasons.WG_SET_FAILED));
        awaitInstance(OFFICE, i -> Conditions.isTrue(i.getStatus().getConditions(), ConditionTypes.READY));
        awaitInstance(BYO, i -> Conditions.isTrue(i.getStatus().getConditions(), ConditionTypes.READY));
        assertThat(interfacePeers(OFFICE)).contains(laptop.getStatus().getPublicKey());
        waiting("the operator's and the agent's Events").until(() -> hasEvent("intruder", Reasons.ALLOWED_IP_TAKEN)
                && hasEvent("broken", Reasons.WG_SET_FAILED));
        return laptop;
    }

    /** A Secret updated (config and node keys), a collision's holder deleted, a peer leaving the interface, an instance torn down, an orphan reported. */
    private void editThenDeletePeersAndAnInstance(VpnPeer laptop) {
        admin.resources(VpnPeer.class).inNamespace(namespace).withName("laptop").edit(p -> {
            p.getSpec().setMtu(1380);
            // and no preshared key any more: its node-keys entry changes, so its shard is updated
            p.getSpec().setPresharedKey(new PresharedKeySpec(PresharedKeySpec.NONE, null));
            return p;
        });
        awaitPeer("laptop", rendered().and(p -> p.getMetadata().getGeneration() > 1));
        assertThat(decoded(secret(laptop.getStatus().getConfigSecretName()), Labels.CONFIG)).contains("MTU = 1380");

        admin.resources(VpnPeer.class).inNamespace(namespace).withName("branch").delete();
        awaitPeer("intruder", ready());
        admin.resources(VpnPeer.class).inNamespace(namespace).withName("laptop").delete();
        waiting("the deleted peer leaves the interface")
                .until(() -> !interfacePeers(OFFICE).contains(laptop.getStatus().getPublicKey()));
        String byoInterface = currentInstance(BYO).getSpec().getInterfaceName();
        admin.resources(VpnInstance.class).inNamespace(namespace).withName(BYO).delete();
        waiting("the deleted instance's interface is torn down")
                .until(() -> !server.execResult("ip", "link", "show", "dev", byoInterface).ok());
        awaitPeer("phone", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.INSTANCE_NOT_FOUND));
    }

    /** The operator as the chart's Deployment runs it: its ServiceAccount, watched namespaces and leader election. */
    private void startOperatorAsDeployed(Deployment deployment) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        boolean leaderElection = Boolean.parseBoolean(InstalledChartRbac.env(pod, "LEADER_ELECTION").orElse("true"));
        assertThat(leaderElection).as("the chart's Deployment elects a leader").isTrue();
        KubernetesClient client = closer.add(cluster.asServiceAccount(deployment.getMetadata().getNamespace(),
                pod.getServiceAccountName(), operatorCalls));
        OperatorSettings settings = new OperatorSettings(watchedNamespaces(pod), leaderElection,
                deployment.getMetadata().getNamespace(), -1, Duration.ofMinutes(10), 4, 4);
        closer.add(PeerwardenOperator.start(client, settings, java.time.Clock.systemUTC(), io.peerwarden.core.plan.KeySource.random(),
                webhookAsDeployed(pod, deployment.getMetadata().getNamespace())));
    }

    /**
     * The admission webhook as the Deployment configures it, with the chart's ValidatingWebhookConfiguration (limited to
     * this test's namespace: the cluster is shared; its Service does not exist here, and failurePolicy Ignore admits).
     */
    private io.peerwarden.operator.webhook.AdmissionWebhook.Settings webhookAsDeployed(PodSpec pod, String releaseNamespace) {
        String configuration = InstalledChartRbac.env(pod, "WEBHOOK_CONFIGURATION").orElseThrow();
        String secret = InstalledChartRbac.env(pod, "WEBHOOK_SECRET").orElseThrow();
        io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration rendered =
                ChartRenderer.manifests(null).stream()
                        .filter(io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration.class::isInstance)
                        .map(io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration.class::cast)
                        .findFirst().orElseThrow();
        rendered.getWebhooks().forEach(w -> w.setNamespaceSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                .addToMatchLabels("kubernetes.io/metadata.name", namespace).build()));
        admin.admissionRegistration().v1().validatingWebhookConfigurations().resource(rendered).forceConflicts().serverSideApply();
        closer.add(() -> {
            admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(configuration).delete();
            admin.secrets().inNamespace(releaseNamespace).withName(secret).delete();
        });
        return new io.peerwarden.operator.webhook.AdmissionWebhook.Settings(0, "127.0.0.1",
                new io.peerwarden.operator.webhook.WebhookTls.Settings(releaseNamespace, secret, configuration,
                        java.util.Arrays.asList(InstalledChartRbac.env(pod, "WEBHOOK_HOSTS").orElseThrow().split(",")),
                        Duration.ofDays(90), Duration.ofSeconds(1), Duration.ofMinutes(1)), null);
    }

    /** The agent as the chart's DaemonSet runs it on {@link #node}: its ServiceAccount and watched namespaces. */
    private void startAgentAsDeployed(DaemonSet daemonSet) {
        PodSpec pod = daemonSet.getSpec().getTemplate().getSpec();
        KubernetesClient client = closer.add(cluster.asServiceAccount(daemonSet.getMetadata().getNamespace(),
                pod.getServiceAccountName(), agentCalls));
        // POD_NAMESPACE: the agent's own namespace, where the operator publishes the node keys
        dataplane.startAgent(client, server, node, watchedNamespaces(pod), daemonSet.getMetadata().getNamespace());
    }

    private static Set<String> watchedNamespaces(PodSpec pod) {
        return NamespaceList.parse(InstalledChartRbac.env(pod, "WATCH_NAMESPACE").orElse(""));
    }

    private static Set<String> unused(ChartRbac rbac, String serviceAccount, ApiCallRecorder calls, Set<String> notSent) {
        List<ChartRbac.Request> requests = calls.sent().stream().map(ApiCallRecorder.Exchange::asCall)
                .map(RecordedApiCalls::toRequest).flatMap(Optional::stream).toList();
        Set<String> unused = new TreeSet<>(rbac.unusedBy(serviceAccount, requests));
        unused.removeAll(notSent);
        return unused;
    }

    // ---- the user's side (cluster admin) -------------------------------------------------------

    private VpnInstance instance(String name, String address, int port) {
        VpnInstance instance = OperatorHarness.instance(name, address);
        instance.getMetadata().setNamespace(namespace);
        instance.getSpec().setNodeName(node);
        instance.getSpec().setEndpoint("vpn.example.com:" + port);
        instance.getSpec().setInterfaceName("pwb" + hex());
        instance.getSpec().setListenPort(port);
        return instance;
    }

    private VpnPeer peer(String name, String instance, String type) {
        VpnPeer peer = OperatorHarness.peer(name, instance, type);
        peer.getMetadata().setNamespace(namespace);
        return peer;
    }

    private void create(VpnInstance instance) {
        admin.resource(instance).create();
    }

    private VpnInstance currentInstance(String name) {
        return admin.resources(VpnInstance.class).inNamespace(namespace).withName(name).get();
    }

    private void create(VpnPeer peer) {
        admin.resource(peer).create();
    }

    /** A Secret the user holds an instance key in: not labelled, so the operator reads it by name (the agent never). */
    private void createUserKeySecret(String name) {
        String key = WireGuardKeys.generatePrivateKey();
        admin.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .addToData(Labels.PRIVATE_KEY, Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
    }

    private Secret secret(String name) {
        return admin.secrets().inNamespace(namespace).withName(name).get();
    }

    private boolean hasEvent(String regarding, String reason) {
        List<Event> events = admin.events().v1().events().inNamespace(namespace).list().getItems();
        return events.stream().anyMatch(e -> reason.equals(e.getReason()) && regarding.equals(e.getRegarding().getName()));
    }

    private Lease lease() {
        return admin.leases().inNamespace(ChartRenderer.NAMESPACE).withName(OperatorSettings.LEASE_NAME).get();
    }

    /** The public keys of the peers on the instance's interface in the server namespace. */
    private Set<String> interfacePeers(String instance) {
        return WgDump.parse(server.exec("wg", "show", currentInstance(instance).getSpec().getInterfaceName(), "dump")).peers().keySet();
    }

    // ---- waits: each gives up at once when either component was refused a request --------------

    private ConditionFactory waiting(String what) {
        return await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .failFast("the API server refused a request", () -> {
                    assertThat(operatorCalls.forbidden()).as("operator requests the API server refused").isEmpty();
                    assertThat(agentCalls.forbidden()).as("agent requests the API server refused").isEmpty();
                });
    }

    private VpnPeer awaitPeer(String name, Predicate<VpnPeer> predicate) {
        return waiting("peer " + name).until(() -> admin.resources(VpnPeer.class).inNamespace(namespace).withName(name).get(),
                p -> p != null && predicate.test(p));
    }

    private void awaitInstance(String name, Predicate<VpnInstance> predicate) {
        waiting("instance " + name).until(() -> currentInstance(name), i -> i != null && i.getStatus() != null && predicate.test(i));
    }

    private static Predicate<VpnPeer> ready() {
        return condition(ConditionTypes.READY, Conditions.TRUE, Reasons.READY);
    }

    private static String hex() {
        return Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    }
}
