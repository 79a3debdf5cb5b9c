package io.peerwarden.ship;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy/ is what the chart renders with default values; editing either alone fails here. */
class DeployManifestsDriftTest {

    @Test
    void deployDirectoryEqualsAFreshRenderingOfTheChart() throws IOException {
        Map<String, String> expected = DeployManifestsGenerator.generate();
        Map<String, String> actual = onDisk();

        assertThat(actual.keySet()).as("generated files in deploy/; regenerate with: %s", DeployManifestsGenerator.REGENERATE)
                .containsExactlyElementsOf(expected.keySet());
        for (var file : expected.entrySet()) {
            assertThat(actual.get(file.getKey())).as("deploy/%s is out of date; regenerate with: %s", file.getKey(),
                    DeployManifestsGenerator.REGENERATE).isEqualTo(file.getValue());
        }
    }

    @Test
    void manifestsApplyInDependencyOrderAndCarryNoHelmReleaseMarks() throws IOException {
        List<HasMetadata> inOrder = new ArrayList<>();
        for (var file : onDisk().entrySet()) {
            assertThat(file.getValue()).doesNotContain("helm.sh/chart", "managed-by: Helm", "RELEASE-NAME");
            inOrder.add(Serialization.unmarshal(file.getValue()));
        }

        List<String> kinds = inOrder.stream().map(HasMetadata::getKind).distinct().toList();
        assertThat(kinds).containsSubsequence("Namespace", "ServiceAccount", "ClusterRole", "CustomResourceDefinition",
                "Deployment", "DaemonSet");
        assertThat(inOrder).filteredOn(o -> o instanceof Namespace).singleElement()
                .satisfies(ns -> assertThat(ns.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "privileged"));
        assertThat(inOrder).filteredOn(o -> o.getMetadata().getNamespace() != null)
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(ChartRenderer.NAMESPACE));
        ChartTest.assertOperatorIsRestricted(inOrder.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow());
        ChartTest.assertAgentHasOnlyNetAdmin(inOrder.stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast)
                .findFirst().orElseThrow());
        ChartTest.assertNoWildcards(inOrder);
    }

    private static Map<String, String> onDisk() throws IOException {
        Map<String, String> files = new TreeMap<>();
        Path deploy = DeployManifestsGenerator.DEPLOY;
        if (!Files.isDirectory(deploy)) {
            return files;
        }
        try (Stream<Path> list = Files.list(deploy)) {
            for (Path p : list.filter(Files::isRegularFile)
                    .filter(p -> DeployManifestsGenerator.GENERATED_FILE.matcher(p.getFileName().toString()).matches()).toList()) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return files;
    }
}
