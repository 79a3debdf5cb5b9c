package io.peerwarden.ship;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image cannot be built here (no docker); this checks what can be checked without building it:
 * the Dockerfile agrees with the chart about users, paths and entry points, and installs what the agent runs.
 */
class DockerfileTest {

    private static List<String> instructions() throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            out.add(current.append(trimmed).toString().replaceAll("\\s+", " "));
            current.setLength(0);
        }
        return out;
    }

    @Test
    void baseImageIsPinnedDebian() throws IOException {
        assertThat(instructions()).filteredOn(i -> i.startsWith("FROM ")).singleElement()
                .satisfies(from -> assertThat(from).matches("FROM debian:[a-z]+-slim"));
    }

    @Test
    void installsTheToolsTheAgentRuns() throws IOException {
        String install = instructions().stream().filter(i -> i.contains("apt-get install")).findFirst().orElseThrow();

        assertThat(install.split(" ")).contains("openjdk-17-jre-headless", "wireguard-tools", "wireguard-go", "iproute2", "nftables", "procps");
        assertThat(install).contains("--no-install-recommends").contains("rm -rf /var/lib/apt/lists/*");
    }

    @Test
    void runsTheJarAsTheNonRootUserTheChartExpects() throws IOException {
        List<String> instructions = instructions();
        List<HasMetadata> chart = ChartRenderer.manifests("");
        long operatorUid = ChartRenderer.one(chart, Deployment.class, "peerwarden-operator")
                .getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser();

        assertThat(instructions).contains("USER " + operatorUid + ":" + operatorUid);
        assertThat(instructions).contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/peerwarden.jar\"]");
        assertThat(instructions).anyMatch(i -> i.startsWith("COPY ") && i.endsWith(" /app/peerwarden.jar"));
        assertThat(ChartRenderer.one(chart, DaemonSet.class, "peerwarden-agent").getSpec().getTemplate().getSpec()
                .getContainers().get(0).getSecurityContext().getRunAsUser()).as("agent overrides the image user").isZero();
    }

    @Test
    void chartRunsTheImageOfItsAppVersionWithTheSubcommands() throws IOException {
        String appVersion = Files.readAllLines(ChartRenderer.CHART.resolve("Chart.yaml")).stream()
                .filter(l -> l.startsWith("appVersion:")).findFirst().orElseThrow().replaceAll("appVersion:\\s*\"?([^\"]*)\"?", "$1");
        List<HasMetadata> chart = ChartRenderer.manifests("");

        var operator = ChartRenderer.one(chart, Deployment.class, "peerwarden-operator").getSpec().getTemplate().getSpec().getContainers().get(0);
        var agent = ChartRenderer.one(chart, DaemonSet.class, "peerwarden-agent").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(operator.getImage()).isEqualTo("ghcr.io/peerwarden/peerwarden:" + appVersion).isEqualTo(agent.getImage());
        assertThat(operator.getCommand()).as("keeps the image ENTRYPOINT").isNullOrEmpty();
        assertThat(operator.getArgs()).containsExactly("operator");
        assertThat(agent.getArgs()).containsExactly("agent", "--key-dir=/run/peerwarden");
    }
}
