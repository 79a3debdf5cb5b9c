package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NodeSpecBuilder;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.testing.CreationTimestamps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static io.peerwarden.operator.OperatorHarness.NS;
import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.conditionOf;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The install policy and per-node uniqueness through the real operator against the CRUD mock. */
class InstallPolicyIntegrationTest {

    private OperatorHarness harness;

    @BeforeEach
    void start() {
        harness = new OperatorHarness();
        // the node's pod network, as the node IPAM controller sets it
        harness.admin.nodes().withName("worker-1").edit(n -> {
            n.setSpec(new NodeSpecBuilder().withPodCIDR("10.244.1.0/24").withPodCIDRs("10.244.1.0/24").build());
            return n;
        });
        harness.startOperator();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private static Optional<Condition> instanceCondition(VpnInstance instance, String type) {
        return instance.getStatus() == null ? Optional.empty() : Conditions.find(instance.getStatus().getConditions(), type);
    }

    private static Predicate<VpnInstance> accepted(String status, String reason) {
        return i -> i.getStatus() != null && i.getMetadata().getGeneration().equals(i.getStatus().getObservedGeneration())
                && instanceCondition(i, ConditionTypes.ACCEPTED).map(c -> c.getStatus().equals(status)
                && (reason == null || reason.equals(c.getReason()))).orElse(false);
    }

    private VpnInstance awaitInstance(String namespace, String name, Predicate<VpnInstance> predicate) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> harness.admin.resources(VpnInstance.class).inNamespace(namespace).withName(name).get(),
                        i -> i != null && predicate.test(i));
    }

    private VpnPeer site(String name, String subnet) {
        VpnPeer site = peer(name, "office", "site");
        site.getSpec().setSubnets(List.of(subnet));
        return harness.create(site);
    }

    @Test
    void metadataAddress169_254_169_254AsASiteSubnetIsRejected() {
        harness.create(instance("office", "10.24.0.1/24"));
        site("metadata", "169.254.169.254/32");
        site("branch", "10.50.0.0/24");
        harness.create(peer("alice", "office", "client"));

        VpnPeer rejected = harness.awaitPeer("metadata", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.SUBNET_NOT_ALLOWED));
        assertThat(conditionOf(rejected, ConditionTypes.VALID).getMessage()).contains("169.254.169.254/32")
                .contains("169.254.0.0/16").contains("link-local");
        assertThat(rejected.getStatus().getConfigSecretName()).isNull();
        harness.awaitPeer("branch", rendered());
        harness.awaitPeer("alice", rendered());
        assertThat(harness.secret("metadata-config")).isEmpty();
    }

    @Test
    void aPodCidrOfTheNodeAsASiteSubnetIsRejected() {
        harness.create(instance("office", "10.24.0.1/24"));
        site("pods", "10.244.1.0/24");
        site("inside", "10.244.1.128/25");

        VpnPeer pods = harness.awaitPeer("pods", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.SUBNET_NOT_ALLOWED));
        assertThat(conditionOf(pods, ConditionTypes.VALID).getMessage()).contains("worker-1").contains("spec.podCIDRs");
        harness.awaitPeer("inside", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.SUBNET_NOT_ALLOWED));
    }

    @Test
    void twoInstancesNamedOfficeInTwoNamespacesOnOneNodeGetDifferentInterfaceNames() {
        VpnInstance sales = instance("office", "10.24.0.1/24");
        sales.getMetadata().setNamespace("sales");
        VpnInstance support = instance("office", "10.25.0.1/24");
        support.getMetadata().setNamespace("support");
        harness.create(sales);
        harness.create(support);

        VpnInstance salesNow = awaitInstance("sales", "office", accepted(Conditions.TRUE, Reasons.ACCEPTED));
        VpnInstance supportNow = awaitInstance("support", "office", accepted(Conditions.TRUE, Reasons.ACCEPTED));

        assertThat(salesNow.getStatus().getInterfaceName()).startsWith("pw-office-")
                .isNotEqualTo(supportNow.getStatus().getInterfaceName());
        assertThat(supportNow.getStatus().getInterfaceName()).startsWith("pw-office-");
        assertThat(List.of(salesNow.getStatus().getListenPort(), supportNow.getStatus().getListenPort()))
                .containsExactlyInAnyOrder(51830, 51831);
    }

    @Test
    void twoInstancesWithTheSamePortOnOneNodeOnlyTheSeniorIsAcceptedTheOtherRecoversWhenTheSeniorGoes() {
        VpnInstance senior = instance("senior", "10.24.0.1/24");
        senior.getSpec().setListenPort(51900);
        VpnInstance created = harness.create(senior);
        awaitInstance(NS, "senior", accepted(Conditions.TRUE, null));
        CreationTimestamps.awaitSecondAfter(created);
        VpnInstance junior = instance("junior", "10.25.0.1/24");
        junior.getSpec().setListenPort(51900);
        harness.create(junior);
        harness.create(peer("bob", "junior", "client"));

        VpnInstance refused = awaitInstance(NS, "junior", accepted(Conditions.FALSE, Reasons.LISTEN_PORT_TAKEN));
        assertThat(instanceCondition(refused, ConditionTypes.ACCEPTED).orElseThrow().getMessage()).contains("51900")
                .contains(NS + "/senior");
        Condition ready = instanceCondition(refused, ConditionTypes.READY).orElseThrow();
        assertThat(ready.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(ready.getReason()).isEqualTo(Reasons.LISTEN_PORT_TAKEN);
        VpnPeer bob = harness.awaitPeer("bob", condition(ConditionTypes.CONFIG_RENDERED, Conditions.FALSE, Reasons.INSTANCE_NOT_READY));
        assertThat(conditionOf(bob, ConditionTypes.CONFIG_RENDERED).getMessage()).contains("51900");
        assertThat(instanceCondition(harness.instance("senior"), ConditionTypes.ACCEPTED).orElseThrow().getStatus())
                .isEqualTo(Conditions.TRUE);

        harness.admin.resources(VpnInstance.class).inNamespace(NS).withName("senior").delete();

        VpnInstance recovered = awaitInstance(NS, "junior", accepted(Conditions.TRUE, Reasons.ACCEPTED));
        assertThat(recovered.getStatus().getListenPort()).isEqualTo(51900);
        harness.awaitPeer("bob", rendered());
    }

    @Test
    void anExplicitInterfaceNameWithoutThePrefixIsRefused() {
        VpnInstance cni = instance("cni", "10.24.0.1/24");
        cni.getSpec().setInterfaceName("cni0");
        harness.create(cni);

        VpnInstance refused = awaitInstance(NS, "cni", accepted(Conditions.FALSE, Reasons.INTERFACE_NAME_NOT_ALLOWED));
        assertThat(instanceCondition(refused, ConditionTypes.READY).orElseThrow().getReason()).isEqualTo(Reasons.INTERFACE_NAME_NOT_ALLOWED);
    }
}
