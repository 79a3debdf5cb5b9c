package io.peerwarden.api.v1alpha1;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerwarden.testing.Kubectl;
import io.peerwarden.testing.RealCluster;
import io.peerwarden.testing.SpecValidationCases;
import io.peerwarden.testing.SpecValidationCases.Case;
import io.peerwarden.testing.SpecValidationCases.Verdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What a user meets at {@code kubectl apply} on a real kube-apiserver with Peerwarden's CRDs: the
 * CRDs install from both places users take them, {@code kubectl explain} documents the fields, and
 * every case of the spec validation table gets its verdict and message from the schema and its CEL
 * rules. {@code ValidationAgreesWithSchemaTest} runs the same table through the operator's validation.
 */
class CrdSchemaRealApiIT {

    private static final List<String> CRDS = List.of("vpninstances.vpn.peerwarden.io", "vpnpeers.vpn.peerwarden.io");

    private static RealCluster cluster;
    private static KubernetesClient admin;
    private static String namespace;

    @BeforeAll
    static void startCluster() {
        cluster = RealCluster.shared();
        admin = cluster.admin();
        namespace = cluster.createNamespace("schema");
    }

    @ParameterizedTest(name = "kubectl apply --server-side -f {0}/")
    @ValueSource(strings = {"crds", "helm/peerwarden/crds"})
    void theCheckedInCrdsAreAcceptedAndBecomeEstablished(String directory) {
        Kubectl.Result applied = cluster.kubectl("apply", "--server-side", "--force-conflicts", "-f", directory + "/").orFail();

        assertThat(applied.stdout()).contains(CRDS.stream().map(crd -> "customresourcedefinition.apiextensions.k8s.io/" + crd + " serverside-applied").toList());
        assertThat(applied.stderr()).doesNotContainIgnoringCase("warning");
        for (String crd : CRDS) {
            cluster.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd/" + crd).orFail();
        }
    }

    @ParameterizedTest(name = "kubectl explain {0}")
    @CsvSource(delimiter = '|', value = {
            "vpnpeer.spec | Desired state of the peer | instanceRef\t<Object> -required- | The VpnInstance this peer connects to | Bring-your-own public key",
            "vpninstance.spec | Desired state of the WireGuard server interface | address\t<[]string> -required- | UDP port the interface listens on. | Only wireguard is supported.",
            "vpnpeer.status | Observed state of the peer | allowedIPs\t<[]string> | Effective tunnel addresses of the peer | Traffic counters.",
            "vpnpeer | A WireGuard peer of a VpnInstance | spec\t<Object> | Desired state of the peer | Observed state of the peer",
            "vpninstance | A WireGuard server interface on one node | spec\t<Object> | Desired state of the WireGuard server interface | Observed state of the interface",
    })
    void kubectlExplainShowsTheFieldDescriptions(String field, String description, String fieldLine, String fieldDescription, String other) {
        // the API server publishes a new CRD's OpenAPI a moment after it is established
        Kubectl.Result explained = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.kubectl("explain", field), r -> r.ok() && r.stdout().contains(fieldDescription));

        assertThat(explained.stdout()).contains(description, fieldLine, fieldDescription, other).doesNotContain("<empty>");
    }

    @Test
    void kubectlGetShowsThePrinterColumnsUnderTheShortNames() {
        cluster.kubectlWithInput(peerManifest("columns", "  type: site\n"), "apply", "-f", "-").orFail();

        String peers = cluster.kubectl("get", "vpnp", "columns", "-n", namespace).orFail().stdout();
        String wide = cluster.kubectl("get", "vpnpeer", "columns", "-n", namespace, "-o", "wide").orFail().stdout();

        assertThat(peers.lines().findFirst().orElseThrow().split("\\s+")).containsExactly("NAME", "TYPE", "INSTANCE", "ADDRESS", "CONNECTED", "READY", "AGE");
        assertThat(peers.lines().skip(1).findFirst().orElseThrow()).startsWith("columns").contains("site", "office");
        assertThat(wide.lines().findFirst().orElseThrow().split("\\s+")).containsExactly("NAME", "TYPE", "INSTANCE", "ADDRESS", "CONNECTED", "READY", "REASON", "AGE");
        assertThat(cluster.kubectl("get", "vpni", "-n", namespace).orFail().stderr()).contains("No resources found");
    }

    @Test
    void theExamplesUsersCopyAreAccepted() throws IOException {
        Kubectl.Result examples = cluster.kubectl("apply", "--dry-run=server", "-n", namespace, "-f", "deploy/examples/").orFail();
        assertThat(examples.stdout()).contains("vpninstance.vpn.peerwarden.io/office created (server dry run)",
                "vpnpeer.vpn.peerwarden.io/alice created (server dry run)", "vpnpeer.vpn.peerwarden.io/branch created (server dry run)");

        Matcher blocks = Pattern.compile("```yaml\n(apiVersion: vpn\\.peerwarden\\.io/.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("docs/crd-reference.md")));
        int documented = 0;
        while (blocks.find()) {
            cluster.kubectlWithInput(blocks.group(1), "apply", "--dry-run=server", "-n", namespace, "-f", "-").orFail();
            documented++;
        }
        assertThat(documented).as("VpnInstance and VpnPeer examples in docs/crd-reference.md").isEqualTo(2);
    }

    static List<Case> cases() {
        return SpecValidationCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theApiServerGivesEveryCaseItsVerdictAndMessage(Case c) {
        Runnable apply = c.update() == null
                ? () -> admin.resource(c.resource(namespace, c.spec())).dryRun().create()
                : update(c);

        if (c.verdict() == Verdict.REJECTED) {
            assertThatThrownBy(apply::run).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                assertThat(e.getCode()).as("HTTP status of %s", e.getMessage()).isEqualTo(422);
                assertThat(e.getStatus().getMessage()).as("what kubectl prints").contains(c.server());
            });
        } else {
            apply.run(); // accepted, or stored for the operator to report on
        }
    }

    /** Creates the row's object for real (an update needs one), then sends the update as a dry run. */
    private static Runnable update(Case c) {
        GenericKubernetesResource created = admin.resource(c.resource(namespace, c.spec())).create();
        created.setAdditionalProperty("spec", c.update());
        return () -> admin.resource(created).dryRun().update();
    }

    @Test
    void kubectlApplyShowsTheSchemasMessageForASeedsBadInput() {
        Kubectl.Result result = cluster.kubectlWithInput(peerManifest("openvpn-peer", "  protocol: openvpn\n"), "apply", "-f", "-");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("The VpnPeer \"openvpn-peer\" is invalid: spec.protocol: Invalid value: \"openvpn\":"
                + " only protocol wireguard is supported: Peerwarden does not provide openvpn or other protocols");
        assertThat(admin.genericKubernetesResources(VpnInstance.GROUP + "/" + VpnInstance.VERSION, "VpnPeer")
                .inNamespace(namespace).withName("openvpn-peer").get()).isNull();
    }

    @Test
    void aMisspelledFieldIsRejectedByKubectlApplyNamingTheField() {
        Kubectl.Result result = cluster.kubectlWithInput(peerManifest("misspelled", "  allowedIps: [\"10.24.0.9/32\"]\n"), "apply", "-f", "-");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("strict decoding error: unknown field \"spec.allowedIps\"");
        assertThat(peer("misspelled")).isNull();
    }

    @Test
    void aMisspelledFieldIsRejectedByServerSideApplyNamingTheField() {
        Kubectl.Result result = cluster.kubectlWithInput(peerManifest("misspelled-ssa", "  allowedIps: [\"10.24.0.9/32\"]\n"),
                "apply", "--server-side", "-f", "-");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains(".spec.allowedIps: field not declared in schema");
        assertThat(peer("misspelled-ssa")).isNull();
    }

    @Test
    void withValidateWarnAMisspelledFieldIsDroppedWithAWarningAndThePeerStoredWithoutIt() {
        Kubectl.Result result = cluster.kubectlWithInput(peerManifest("misspelled-warn", "  allowedIps: [\"10.24.0.9/32\"]\n"),
                "apply", "--validate=warn", "-f", "-").orFail();

        assertThat(result.stderr()).contains("Warning: unknown field \"spec.allowedIps\"");
        GenericKubernetesResource stored = peer("misspelled-warn");
        // the operator will allocate an address: what the user meant is lost, which is why strict is the default
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) stored.getAdditionalProperties().get("spec");
        assertThat(spec).containsOnlyKeys("instanceRef", "type", "protocol", "restricted");
    }

    private static GenericKubernetesResource peer(String name) {
        return admin.genericKubernetesResources(VpnInstance.GROUP + "/" + VpnInstance.VERSION, "VpnPeer")
                .inNamespace(namespace).withName(name).get();
    }

    private static String peerManifest(String name, String extraSpecLines) {
        return """
                apiVersion: vpn.peerwarden.io/v1alpha1
                kind: VpnPeer
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  instanceRef:
                    name: office
                %s""".formatted(name, namespace, extraSpecLines);
    }
}
