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
import io.peerwarden.testing.Kubectl;
import io.peerwarden.testing.RealCluster;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    @RegisterExtension
    final DataplaneFixture dataplane = new DataplaneFixture();
    private RealCluster cluster;
    private KubernetesClient admin;
    private String namespace;
    private NetNs server;

    @BeforeEach
    void setUp() {
        cluster = RealCluster.shared();
        admin = cluster.admin();
        namespace = cluster.createNamespace("main");
        dataplane.add(() -> cluster.deleteNamespace(namespace));
        cluster.ensureNode(NODE, Map.of("kubernetes.io/hostname", NODE), Map.of());
        server = dataplane.netns("pwrsrv");
        OperatorSettings settings = new OperatorSettings(Set.of(namespace), false, null, -1, Duration.ofMinutes(10), 10, 8);
        dataplane.add(PeerwardenOperator.start(admin, settings));
    }

    private void startAgent() {
        dataplane.startAgent(admin, server, NODE, Set.of(namespace));
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
        NetNs client = dataplane.netns("pwrcli");
        server.veth("rc0", "10.98.0.1/24", client, "rc1", "10.98.0.2/24");

        VpnInstance office = io.peerwarden.operator.OperatorHarness.instance("office", "10.84.0.1/24");
        office.getMetadata().setNamespace(namespace);
        office.getSpec().setInterfaceName(DataplaneFixture.interfaceName("pwr"));
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

        dataplane.bringUpClient(client, DataplaneFixture.interfaceName("pwc"), config("laptop"));
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
