package io.peerwarden.api.v1alpha1;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated CRDs carry what users and the API server rely on: status subresource, printer
 * columns, short names, and every rule the API server can enforce at `kubectl apply`.
 */
class CrdStructureTest {

    private static CustomResourceDefinitionVersion load(String file) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("crds", file))) {
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
            assertThat(crd.getSpec().getGroup()).isEqualTo("vpn.peerwarden.io");
            return crd.getSpec().getVersions().get(0);
        }
    }

    private static JSONSchemaProps spec(CustomResourceDefinitionVersion version) {
        return version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    }

    private static List<String> rules(JSONSchemaProps props) {
        return props.getXKubernetesValidations() == null ? List.of()
                : props.getXKubernetesValidations().stream().map(ValidationRule::getRule).toList();
    }

    @Test
    void vpnPeerHasStatusPrinterColumnsAndShortNames() throws IOException {
        CustomResourceDefinitionVersion v = load("vpnpeers.vpn.peerwarden.io-v1.yml");
        assertThat(v.getName()).isEqualTo("v1alpha1");
        assertThat(v.getSubresources().getStatus()).isNotNull();
        // kubectl shows them in this order (CrdPostProcessor fixes the generator's sort by path)
        assertThat(v.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName)
                .containsExactly("Type", "Instance", "Address", "Connected", "Ready", "Reason", "Age");
        assertThat(v.getAdditionalPrinterColumns()).filteredOn(c -> c.getName().equals("Ready")).singleElement()
                .extracting(CustomResourceColumnDefinition::getJsonPath).isEqualTo(".status.conditions[?(@.type==\"Ready\")].status");
    }

    @Test
    void vpnPeerSchemaEnforcesRangesPatternsAndCrossFieldRules() throws IOException {
        JSONSchemaProps spec = spec(load("vpnpeers.vpn.peerwarden.io-v1.yml"));
        assertThat(spec.getRequired()).contains("instanceRef");
        assertThat(spec.getProperties().get("mtu").getMinimum()).isEqualTo(1280.0);
        assertThat(spec.getProperties().get("mtu").getMaximum()).isEqualTo(9000.0);
        assertThat(spec.getProperties().get("persistentKeepalive").getMaximum()).isEqualTo(65535.0);
        assertThat(spec.getProperties().get("type").getPattern()).isEqualTo("^(client|site)$");
        assertThat(spec.getProperties().get("publicKey").getPattern()).isNotBlank();
        assertThat(spec.getProperties()).doesNotContainKeys("site");
        assertThat(rules(spec)).contains(
                "self.type == 'site' || !has(self.subnets)",
                "self.type == 'site' || !has(self.siteId)",
                "self.type == 'client' || !has(self.userId)",
                "self.type == 'client' || !has(self.routeAll) || !self.routeAll");
        assertThat(rules(spec.getProperties().get("instanceRef"))).containsExactly("self == oldSelf");
        assertThat(rules(spec.getProperties().get("presharedKey"))).hasSize(1);
        assertThat(rules(spec.getProperties().get("protocol"))).containsExactly(CelRules.WIREGUARD_ONLY);
    }

    @Test
    void vpnInstanceSchemaRequiresAddressesAndOneNodeChoice() throws IOException {
        CustomResourceDefinitionVersion v = load("vpninstances.vpn.peerwarden.io-v1.yml");
        assertThat(v.getSubresources().getStatus()).isNotNull();
        JSONSchemaProps spec = spec(v);
        assertThat(spec.getRequired()).contains("address");
        assertThat(spec.getProperties().get("listenPort").getMaximum()).isEqualTo(65535.0);
        assertThat(spec.getProperties().get("interfaceName").getPattern()).isEqualTo(Formats.INTERFACE_NAME);
        assertThat(rules(spec)).contains("has(self.nodeName) != has(self.nodeSelector)");
        assertThat(rules(spec.getProperties().get("protocol"))).contains("self == 'wireguard'");
        assertThat(v.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName)
                .containsExactly("Node", "Port", "Peers", "Connected", "Ready", "Age");
    }
}
