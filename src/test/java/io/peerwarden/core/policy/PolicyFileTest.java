package io.peerwarden.core.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyFileTest {

    @Test
    void everyFieldOfThePolicyFileIsRead(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, """
                nodeSelector:
                  peerwarden.io/gateway: "true"
                interfacePrefix: vpn
                listenPorts: {min: 40000, max: 40010}
                siteSubnets:
                  allowed: [10.0.0.0/8]
                  denied: [10.50.0.0/16]
                podCIDRs: [10.244.0.0/16]
                serviceCIDRs: [10.43.0.0/16, fd00:43::/112]
                """);

        InstallPolicy policy = PolicyFile.read(file);

        assertThat(policy.nodeSelector()).isEqualTo(Map.of("peerwarden.io/gateway", "true"));
        assertThat(policy.interfacePrefix()).isEqualTo("vpn");
        assertThat(policy.listenPorts()).isEqualTo(new InstallPolicy.PortRange(40000, 40010));
        assertThat(policy.allowedSubnets()).containsExactly("10.0.0.0/8");
        assertThat(policy.deniedSubnets()).containsExactly("10.50.0.0/16");
        assertThat(policy.podCIDRs()).containsExactly("10.244.0.0/16");
        assertThat(policy.serviceCIDRs()).containsExactly("10.43.0.0/16", "fd00:43::/112");
    }

    @Test
    void noFileOrAnEmptyOneIsTheDefaults(@TempDir Path dir) throws IOException {
        assertThat(PolicyFile.read(dir.resolve("absent.yaml"))).isEqualTo(InstallPolicy.defaults());
        assertThat(PolicyFile.read(null)).isEqualTo(InstallPolicy.defaults());
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        assertThat(PolicyFile.read(empty)).isEqualTo(InstallPolicy.defaults());
        InstallPolicy defaults = InstallPolicy.defaults();
        assertThat(defaults.interfacePrefix()).isEqualTo("pw");
        assertThat(defaults.listenPorts().contains(51820)).as("Calico's WireGuard port").isFalse();
        assertThat(defaults.listenPorts().contains(51821)).isFalse();
        assertThat(defaults.allowedSubnets()).containsExactly("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7");
        assertThat(defaults.serviceCIDRs()).containsExactly("10.96.0.0/12");
    }

    @Test
    void theChartsDefaultValuesAreThePolicyDefaults() {
        InstallPolicy rendered = PolicyFile.parse("""
                nodeSelector: {}
                interfacePrefix: pw
                listenPorts: {min: 51830, max: 51929}
                siteSubnets:
                  allowed: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7]
                  denied: []
                podCIDRs: []
                serviceCIDRs: [10.96.0.0/12]
                """);

        assertThat(rendered).isEqualTo(InstallPolicy.defaults());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "interfacePrefx: pw | policy.interfacePrefx is not a policy field",
            "interfacePrefix: '-bad' | policy.interfacePrefix",
            "interfacePrefix: waytoolongprefix | policy.interfacePrefix",
            "interfacePrefix: 12 | policy.interfacePrefix must be a string",
            "listenPorts: {min: 52000, max: 51000} | policy.listenPorts is 52000-51000",
            "listenPorts: {min: 0, max: 10} | policy.listenPorts",
            "listenPorts: {min: x} | policy.listenPorts.min must be a port number",
            "listenPorts: {low: 1} | policy.listenPorts.low is not a policy field",
            "siteSubnets: {allowed: [10.0.0.0/33]} | policy.siteSubnets.allowed[0] is '10.0.0.0/33'",
            "siteSubnets: {denied: [10.0.0.0/8, nope]} | policy.siteSubnets.denied[1] is 'nope'",
            "siteSubnets: {blocked: []} | policy.siteSubnets.blocked is not a policy field",
            "serviceCIDRs: 10.96.0.0/12 | policy.serviceCIDRs must be a list",
            "podCIDRs: [1.2.3] | policy.podCIDRs[0]",
            "nodeSelector: [a] | policy.nodeSelector must be a mapping",
            "'[unclosed' | not valid YAML",
    })
    void aBadPolicyFileIsOneLineNamingTheField(String yaml, String message) {
        assertThatThrownBy(() -> PolicyFile.parse(yaml))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void labelValuesOfTheNodeSelectorAreStrings() {
        assertThat(PolicyFile.parse("nodeSelector: {gateway: true}").nodeSelector()).isEqualTo(Map.of("gateway", "true"));
        assertThat(PolicyFile.parse("siteSubnets: {denied: [10.1.0.0/16]}").allowedSubnets())
                .isEqualTo(List.copyOf(InstallPolicy.DEFAULT_ALLOWED));
    }
}
