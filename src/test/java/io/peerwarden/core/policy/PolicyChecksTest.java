package io.peerwarden.core.policy;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.core.validation.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyChecksTest {

    private final PolicyChecks defaults = new PolicyChecks(InstallPolicy.defaults());
    private final PolicyChecks.SiteSubnets onNode = defaults.siteSubnets(Map.of("worker-1", List.of("10.244.1.0/24", "fd00:244:1::/64"),
            "worker-2", List.of("10.244.2.0/24")));

    @ParameterizedTest(name = "{0} is rejected naming {1}")
    @CsvSource(delimiter = ';', value = {
            "169.254.169.254/32; 169.254.0.0/16 (link-local",
            "169.254.0.0/16; link-local",
            "127.0.0.1/32; 127.0.0.0/8 (loopback",
            "::1/128; loopback",
            "fe80::/64; fe80::/10 (link-local",
            "224.0.0.251/32; 224.0.0.0/4 (multicast",
            "ff02::1/128; multicast",
            "0.0.0.0/0; covers the default route",
            "::/0; covers the default route",
            "192.0.0.0/2; 224.0.0.0/4 (multicast",
            "192.0.0.0/3; policy.siteSubnets.allowed",
            "8.8.8.0/24; policy.siteSubnets.allowed",
            "2001:db8::/32; policy.siteSubnets.allowed",
            "10.96.0.10/32; 10.96.0.0/12 (the cluster's service network, policy.serviceCIDRs",
            "10.0.0.0/8; 10.96.0.0/12",
            "10.244.1.0/24; 10.244.1.0/24 (the pod network of node worker-1",
            "10.244.2.7/32; the pod network of node worker-2",
            "fd00:244:1::5/128; the pod network of node worker-1",
    })
    void aSiteSubnetThePolicyDeniesIsRejectedNamingThePolicyValue(String subnet, String named) {
        List<Problem> problems = onNode.problems(List.of(subnet));

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).reason()).isEqualTo(Reasons.SUBNET_NOT_ALLOWED);
        assertThat(problems.get(0).field()).isEqualTo("spec.subnets[0]");
        assertThat(problems.get(0).message()).contains(named);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.50.0.0/16", "192.168.10.0/24", "172.16.5.0/24", "100.64.3.0/24", "fd00:50::/48", "10.245.0.0/16"})
    void aPrivateSiteNetworkIsAllowed(String subnet) {
        assertThat(onNode.problems(List.of(subnet))).isEmpty();
    }

    @Test
    void everyBadSubnetOfAPeerIsReportedOnItsOwnIndex() {
        List<Problem> problems = onNode.problems(List.of("10.50.0.0/16", "169.254.169.254/32", "not a cidr", "127.0.0.0/8"));

        assertThat(problems).extracting(Problem::field).containsExactly("spec.subnets[1]", "spec.subnets[3]");
    }

    @Test
    void deniedAndAllowedValuesAreTheAdminsAndTheAlwaysDeniedStayDenied() {
        InstallPolicy policy = new InstallPolicy(null, null, null, List.of("0.0.0.0/1", "128.0.0.0/1"), List.of("10.50.0.0/16"),
                List.of("10.200.0.0/16"), List.of());
        PolicyChecks.SiteSubnets rules = new PolicyChecks(policy).siteSubnets(Map.of());

        assertThat(rules.problems(List.of("8.8.8.0/24"))).isEmpty();
        assertThat(rules.problems(List.of("10.96.0.0/24"))).as("no service CIDR configured").isEmpty();
        assertThat(rules.problems(List.of("10.50.3.0/24")).get(0).message()).contains("policy.siteSubnets.denied");
        assertThat(rules.problems(List.of("10.200.0.0/24")).get(0).message()).contains("policy.podCIDRs");
        assertThat(rules.problems(List.of("169.254.169.254/32")).get(0).message()).contains("link-local");
        assertThat(rules.problems(List.of("127.0.0.1/32")).get(0).message()).contains("loopback");
    }

    @Test
    void aNodeWithoutThePolicyLabelsMayNotRunInstances() {
        PolicyChecks policy = new PolicyChecks(new InstallPolicy(Map.of("peerwarden.io/gateway", "true"), null, null, null, null,
                null, null));

        assertThat(policy.nodeAllowed(Map.of("peerwarden.io/gateway", "true", "other", "x"))).isTrue();
        assertThat(policy.nodeAllowed(Map.of())).isFalse();
        Problem problem = policy.node("worker-3", Map.of("peerwarden.io/gateway", "false"), "spec.nodeName").orElseThrow();
        assertThat(problem.reason()).isEqualTo(Reasons.NODE_NOT_ALLOWED);
        assertThat(problem.message()).contains("worker-3").contains("policy.nodeSelector").contains("peerwarden.io/gateway");
        assertThat(defaults.nodeAllowed(Map.of())).as("empty selector: any node").isTrue();
    }

    @Test
    void anInterfaceNameWithoutThePrefixIsNotAllowed() {
        VpnInstanceSpec spec = new VpnInstanceSpec();
        spec.setInterfaceName("cni0");
        Problem problem = defaults.interfaceName(spec).orElseThrow();
        assertThat(problem.reason()).isEqualTo(Reasons.INTERFACE_NAME_NOT_ALLOWED);
        assertThat(problem.message()).contains("cni0").contains("'pw'").contains("policy.interfacePrefix");

        spec.setInterfaceName("pw-office");
        assertThat(defaults.interfaceName(spec)).isEmpty();
        spec.setInterfaceName(null);
        assertThat(defaults.interfaceName(spec)).isEmpty();
    }

    @ParameterizedTest(name = "port {0} allowed: {1}")
    @CsvSource({"51820, false", "51821, false", "51829, false", "51830, true", "51929, true", "51930, false", "443, false"})
    void aListenPortOutsideTheRangeIsNotAllowed(int port, boolean allowed) {
        VpnInstanceSpec spec = new VpnInstanceSpec();
        spec.setListenPort(port);

        assertThat(defaults.listenPort(spec).isEmpty()).isEqualTo(allowed);
        if (!allowed) {
            Problem problem = defaults.listenPort(spec).orElseThrow();
            assertThat(problem.reason()).isEqualTo(Reasons.LISTEN_PORT_NOT_ALLOWED);
            assertThat(problem.message()).contains(String.valueOf(port)).contains("51830-51929").contains("policy.listenPorts");
        }
    }
}
