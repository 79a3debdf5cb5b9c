package io.peerwarden.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.operator.PeerwardenOperator;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.Kubectl;
import io.peerwarden.testing.RealCluster;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The main scenario on a real kube-apiserver, where the CRDs' schema, CEL rules and the status
 * subresource are enforced: the real operator renders an instance, a client and a site; the real
 * agent applies them to a wireguard-go interface in a network namespace; the built
 * {@code kubectl wait --for=condition=Ready} returns; a client brought up from its rendered Secret
 * pings the server through the tunnel; a colliding peer names its holder and recovers when the
 * holder is deleted.
 */
class MainScenarioRealApiIT {

    private static final String NODE = "worker-1";
    private final Closer closer = new Closer();
    private RealCluster cluster;
    private KubernetesClient admin;
    private String namespace;
    private NetNs server;
    private Path configDir;

    @BeforeEach
    void setUp() throws IOException {
        Privileged.require();
        cluster = RealCluster.shared();
        admin = cluster.admin();
        namespace = cluster.createNamespace("main");
        closer.add(() -> cluster.deleteNamespace(namespace));
        cluster.ensureNode(NODE, Map.of("kubernetes.io/hostname", NODE), Map.of());
        server = closer.add(NetNs.create("pwrsrv"));
        configDir = closer.privateDirectory("peerwarden-real-");
        OperatorSettings settings = new OperatorSettings(Set.of(namespace), false, null, -1, Duration.ofMinutes(10), 10, 8);
        closer.add(PeerwardenOperator.start(admin, settings));
    }

    @AfterEach
    void tearDown() {
        closer.close();
    }

    private void startAgent() {
        KeyFiles keyFiles = closer.add(new KeyFiles(KeyFiles.defaultBase()));
        InterfaceDriver driver = new InterfaceDriver(server.runner(), Implementation.AUTO, keyFiles);
        Agent agent = new Agent(admin, new AgentConfig(NODE, Set.of(namespace), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMillis(100), 4), driver, Clock.systemUTC());
        closer.add(agent);
        agent.start();
    }

    private static String hex() {
        return Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    }

    private VpnPeer awaitPeer(String name, Predicate<VpnPeer> predicate) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.resources(VpnPeer.class).inNamespace(namespace).withName(name).get(), p -> p != null && predicate.test(p));
    }

    private VpnPeer peer(String name, String type) {
        VpnPeer peer = io.peerwarden.operator.OperatorHarness.peer(name, "office", type);
        peer.getMetadata().setNamespace(namespace);
        return peer;
    }

    private String config(String peer) {
        Secret secret = admin.secrets().inNamespace(namespace).withName(peer + "-wireguard").get();
        return new String(Base64.getDecoder().decode(secret.getData().get(Labels.CONFIG)), StandardCharsets.UTF_8);
    }

    @Test
    void aPeerBecomesReadyForKubectlWaitPingsThroughItsTunnelAndACollisionRecoversWhenTheHolderGoes() throws IOException {
        NetNs client = closer.add(NetNs.create("pwrcli"));
        server.veth("rc0", "10.98.0.1/24", client, "rc1", "10.98.0.2/24");

        VpnInstance office = io.peerwarden.operator.OperatorHarness.instance("office", "10.84.0.1/24");
        office.getMetadata().setNamespace(namespace);
        office.getSpec().setInterfaceName("pwr" + hex());
        office.getSpec().setEndpoint("10.98.0.1");
        office.getSpec().setListenPort(51860);
        admin.resource(office).create();
        admin.resource(peer("laptop", "client")).create();
        VpnPeer branch = peer("branch", "site");
        branch.getSpec().setAllowedIPs(List.of("10.84.0.10/32"));
        branch.getSpec().setSubnets(List.of("10.85.0.0/24"));
        admin.resource(branch).create();
        VpnPeer intruder = peer("intruder", "client");
        intruder.getSpec().setAllowedIPs(List.of("10.84.0.10/32"));
        admin.resource(intruder).create();
        startAgent();

        Kubectl.Result wait = cluster.kubectl("wait", "--for=condition=Ready", "vpnpeer/laptop", "-n", namespace, "--timeout=90s");
        assertThat(wait.ok()).as(wait.toString()).isTrue();
        assertThat(wait.stdout()).contains("vpnpeer.vpn.peerwarden.io/laptop condition met");

        Kubectl.Result columns = cluster.kubectl("get", "vpnpeers", "-n", namespace);
        assertThat(columns.orFail().stdout().lines().findFirst().orElseThrow().split("\\s+"))
                .containsExactly("NAME", "TYPE", "INSTANCE", "ADDRESS", "CONNECTED", "READY", "AGE");

        Process wgGo = WgQuickClient.bringUp(client, "pwc" + hex(), config("laptop"), configDir);
        closer.add(wgGo::destroy);
        await().atMost(Duration.ofSeconds(20)).until(() -> client.execResult("ping", "-c", "1", "-W", "1", "10.84.0.1").ok());
        awaitPeer("laptop", p -> Boolean.TRUE.equals(p.getStatus().getConnected())
                && Conditions.isTrue(p.getStatus().getConditions(), ConditionTypes.CONNECTED));

        VpnPeer loser = awaitPeer("intruder", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.ALLOWED_IP_TAKEN));
        assertThat(Conditions.find(loser.getStatus().getConditions(), ConditionTypes.VALID).orElseThrow().getMessage())
                .contains("branch");
        awaitPeer("branch", rendered());
        admin.resources(VpnPeer.class).inNamespace(namespace).withName("branch").delete();
        awaitPeer("intruder", condition(ConditionTypes.READY, Conditions.TRUE, Reasons.READY));
        assertThat(awaitPeer("intruder", rendered()).getStatus().getAllowedIPs()).containsExactly("10.84.0.10/32");
    }
}
