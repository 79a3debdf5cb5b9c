package io.peerwarden.ship;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.peerwarden.core.policy.InstallPolicy;
import io.peerwarden.core.policy.PolicyFile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.peerwarden.ship.ChartRenderer.manifests;
import static io.peerwarden.ship.ChartRenderer.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The install policy values reach the operator (a mounted file it reads at start) and the agent (its prefix). */
class ChartPolicyTest {

    private static final String POLICY_VALUES = """
            policy:
              nodeSelector:
                node-role.kubernetes.io/gateway: "true"
              interfacePrefix: vpn
              listenPorts: {min: 40000, max: 40099}
              siteSubnets:
                allowed: [10.0.0.0/8]
                denied: [10.50.0.0/16]
              podCIDRs: [10.42.0.0/16]
              serviceCIDRs: [10.43.0.0/16]
            """;

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
    }

    @Test
    void thePolicyValuesRenderIntoTheOperatorsConfigMapAndTheAgentsPrefix() {
        List<HasMetadata> objects = manifests(POLICY_VALUES);

        ConfigMap configMap = one(objects, ConfigMap.class, "peerwarden-policy");
        InstallPolicy policy = PolicyFile.parse(configMap.getData().get("policy.yaml"));
        assertThat(policy.nodeSelector()).isEqualTo(Map.of("node-role.kubernetes.io/gateway", "true"));
        assertThat(policy.interfacePrefix()).isEqualTo("vpn");
        assertThat(policy.listenPorts()).isEqualTo(new InstallPolicy.PortRange(40000, 40099));
        assertThat(policy.allowedSubnets()).containsExactly("10.0.0.0/8");
        assertThat(policy.deniedSubnets()).containsExactly("10.50.0.0/16");
        assertThat(policy.podCIDRs()).containsExactly("10.42.0.0/16");
        assertThat(policy.serviceCIDRs()).containsExactly("10.43.0.0/16");

        Deployment deployment = one(objects, Deployment.class, "peerwarden-operator");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container operator = pod.getContainers().get(0);
        assertThat(env(operator, "POLICY_FILE")).isEqualTo("/etc/peerwarden/policy.yaml");
        assertThat(operator.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/etc/peerwarden");
            assertThat(m.getReadOnly()).isTrue();
            assertThat(pod.getVolumes()).anySatisfy(v -> {
                assertThat(v.getName()).isEqualTo(m.getName());
                assertThat(v.getConfigMap().getName()).isEqualTo("peerwarden-policy");
            });
        });
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("checksum/policy");

        Container agent = one(objects, DaemonSet.class, "peerwarden-agent").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(agent, "INTERFACE_PREFIX")).isEqualTo("vpn");
    }

    @Test
    void theDefaultValuesRenderTheDefaultPolicy() {
        List<HasMetadata> objects = manifests("");

        ConfigMap configMap = one(objects, ConfigMap.class, "peerwarden-policy");
        assertThat(PolicyFile.parse(configMap.getData().get("policy.yaml"))).isEqualTo(InstallPolicy.defaults());
        Container agent = one(objects, DaemonSet.class, "peerwarden-agent").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(agent, "INTERFACE_PREFIX")).isEqualTo("pw");
    }

    @Test
    void aChangedPolicyRestartsTheOperator() {
        String before = one(manifests(""), Deployment.class, "peerwarden-operator").getSpec().getTemplate().getMetadata()
                .getAnnotations().get("checksum/policy");
        String after = one(manifests(POLICY_VALUES), Deployment.class, "peerwarden-operator").getSpec().getTemplate().getMetadata()
                .getAnnotations().get("checksum/policy");

        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void theValuesSchemaRefusesAPolicyTheOperatorWouldRefuse() {
        assertThatThrownBy(() -> manifests("policy:\n  interfacePrefix: '-bad'\n")).hasMessageContaining("interfacePrefix");
        assertThatThrownBy(() -> manifests("policy:\n  listenPorts: {min: 0, max: 10}\n")).hasMessageContaining("min");
        assertThatThrownBy(() -> manifests("policy:\n  siteSubnets: {allowed: [everything]}\n")).hasMessageContaining("allowed");
        assertThatThrownBy(() -> manifests("policy:\n  unknown: 1\n")).hasMessageContaining("unknown");
    }
}
