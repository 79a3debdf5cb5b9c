package io.peerwarden.agent;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.WgDump;
import io.peerwarden.operator.OperatorHarness;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.operator.PeerwardenOperator;
import io.peerwarden.testing.CreationTimestamps;
import io.peerwarden.testing.RealCluster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a real kube-apiserver with the real operator and agent: {@code office} in two namespaces on one
 * node gets two interfaces with two ports, both up; a third instance asking for a port one of them
 * holds is refused (ListenPortTaken naming the holder) and the agent creates nothing for it.
 */
class SameNameInstancesRealApiIT {

    private static final String NODE = "worker-1";

    @RegisterExtension
    final DataplaneFixture dataplane = new DataplaneFixture();
    private KubernetesClient admin;
    private String sales;
    private String support;
    private NetNs server;

    @BeforeEach
    void setUp() {
        RealCluster cluster = RealCluster.shared();
        admin = cluster.admin();
        sales = cluster.createNamespace("sales");
        support = cluster.createNamespace("support");
        dataplane.add(() -> cluster.deleteNamespace(sales));
        dataplane.add(() -> cluster.deleteNamespace(support));
        cluster.ensureNode(NODE, Map.of("kubernetes.io/hostname", NODE), Map.of());
        server = dataplane.netns("pwsame");
        dataplane.add(PeerwardenOperator.start(admin, new OperatorSettings(Set.of(sales, support), false, null, -1,
                Duration.ofMinutes(10), 10, 8)));
        dataplane.startAgent(admin, server, NODE, Set.of(sales, support));
    }

    private VpnInstance create(String namespace, String name, String address, Integer port) {
        VpnInstance instance = OperatorHarness.instance(name, address);
        instance.getMetadata().setNamespace(namespace);
        instance.getSpec().setNodeName(NODE);
        instance.getSpec().setListenPort(port);
        return admin.resource(instance).create();
    }

    private VpnInstance awaitInstance(String namespace, String name, Predicate<VpnInstance> predicate) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.resources(VpnInstance.class).inNamespace(namespace).withName(name).get(),
                        i -> i != null && i.getStatus() != null && predicate.test(i));
    }

    private static Optional<Condition> condition(VpnInstance instance, String type) {
        return Conditions.find(instance.getStatus().getConditions(), type);
    }

    private static Predicate<VpnInstance> is(String type, String status, String reason) {
        return i -> i.getMetadata().getGeneration().equals(i.getStatus().getObservedGeneration())
                && condition(i, type).map(c -> c.getStatus().equals(status) && (reason == null || reason.equals(c.getReason())))
                .orElse(false);
    }

    private int livePort(String iface) {
        return WgDump.parse(server.exec("wg", "show", iface, "dump")).listenPort();
    }

    @Test
    void twoInstancesNamedOfficeInTwoNamespacesBothComeUpOnOneNodeAndATakenPortIsNotApplied() {
        VpnInstance first = create(sales, "office", "10.86.0.1/24", null);
        CreationTimestamps.awaitSecondAfter(first);
        create(support, "office", "10.87.0.1/24", null);

        VpnInstance salesOffice = awaitInstance(sales, "office", is(ConditionTypes.READY, Conditions.TRUE, null));
        VpnInstance supportOffice = awaitInstance(support, "office", is(ConditionTypes.READY, Conditions.TRUE, null));

        String salesIf = salesOffice.getStatus().getInterfaceName();
        String supportIf = supportOffice.getStatus().getInterfaceName();
        assertThat(salesIf).startsWith("pw-office-").isNotEqualTo(supportIf);
        assertThat(supportIf).startsWith("pw-office-");
        assertThat(salesOffice.getStatus().getListenPort()).isEqualTo(51830);
        assertThat(supportOffice.getStatus().getListenPort()).isEqualTo(51831);
        assertThat(livePort(salesIf)).isEqualTo(51830);
        assertThat(livePort(supportIf)).isEqualTo(51831);

        // a later instance on the node asking for the port sales/office holds is refused and never applied
        CreationTimestamps.awaitSecondAfter(supportOffice);
        create(support, "late", "10.88.0.1/24", 51830);
        VpnInstance late = awaitInstance(support, "late", is(ConditionTypes.ACCEPTED, Conditions.FALSE, Reasons.LISTEN_PORT_TAKEN));
        assertThat(condition(late, ConditionTypes.ACCEPTED).orElseThrow().getMessage()).contains(sales + "/office");
        late = awaitInstance(support, "late", is(ConditionTypes.APPLIED, Conditions.FALSE, Reasons.NOT_ACCEPTED));
        assertThat(condition(late, ConditionTypes.READY).orElseThrow().getReason()).isEqualTo(Reasons.LISTEN_PORT_TAKEN);
        String lateIf = late.getStatus().getInterfaceName();
        assertThat(server.execResult("ip", "link", "show", lateIf).ok()).as("no link %s for the refused instance", lateIf).isFalse();
        assertThat(livePort(salesIf)).isEqualTo(51830);
        assertThat(condition(admin.resources(VpnInstance.class).inNamespace(sales).withName("office").get(), ConditionTypes.READY)
                .orElseThrow().getStatus()).isEqualTo(Conditions.TRUE);
    }
}
