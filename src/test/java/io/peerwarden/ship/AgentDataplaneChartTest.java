package io.peerwarden.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.peerwarden.agent.metrics.AgentMetrics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.peerwarden.ship.ChartRenderer.manifests;
import static io.peerwarden.ship.ChartRenderer.ofType;
import static io.peerwarden.ship.ChartRenderer.one;
import static org.assertj.core.api.Assertions.assertThat;

/** The agent's metrics and firewall in the chart, and the Grafana dashboard in deploy/ against the metrics the agent exports. */
class AgentDataplaneChartTest {

    static final Path DASHBOARD = Path.of("deploy/grafana/peerwarden-peers-dashboard.json");

    private static Container agent(List<HasMetadata> objects) {
        return one(objects, DaemonSet.class, "peerwarden-agent").getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, String> env(Container container) {
        Map<String, String> env = new java.util.HashMap<>();
        container.getEnv().forEach(e -> {
            if (e.getValue() != null) {
                env.put(e.getName(), e.getValue());
            }
        });
        return env;
    }

    @Test
    void theAgentServesMetricsOnItsHealthPortAppliesFirewallRulesAndStillAddsOnlyNetAdmin() {
        Container agent = agent(manifests(""));
        assertThat(env(agent)).containsEntry("HEALTH_PORT", "8081").containsEntry("FIREWALL", "true")
                .containsEntry("DRIFT_REPAIR_INTERVAL", "5m");
        assertThat(agent.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("health");
            assertThat(p.getContainerPort()).isEqualTo(8081);
        });
        assertThat(agent.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN");
        assertThat(agent.getSecurityContext().getPrivileged()).isFalse();

        Container moved = agent(manifests("agent:\n  metrics:\n    port: 9465\n  firewall:\n    enabled: false\n  driftRepairInterval: 30s\n"));
        assertThat(env(moved)).containsEntry("HEALTH_PORT", "9465").containsEntry("FIREWALL", "false")
                .containsEntry("DRIFT_REPAIR_INTERVAL", "30s");
        assertThat(moved.getPorts().get(0).getContainerPort()).isEqualTo(9465);
    }

    @Test
    void aPodMonitorScrapesEveryAgentWhenEnabledAndNoneByDefault() {
        assertThat(ofType(manifests(""), GenericKubernetesResource.class)).noneMatch(o -> o.getKind().equals("PodMonitor"));
        List<HasMetadata> objects = manifests("agent:\n  metrics:\n    podMonitor:\n      enabled: true\n      labels: {release: prom}\n");
        GenericKubernetesResource monitor = ofType(objects, GenericKubernetesResource.class).stream()
                .filter(o -> o.getKind().equals("PodMonitor")).findFirst().orElseThrow();
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("podMetricsEndpoints");
        assertThat(endpoints).singleElement().satisfies(e -> assertThat(e).containsEntry("port", "health").containsEntry("path", "/metrics"));
        @SuppressWarnings("unchecked")
        Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
        assertThat(one(objects, DaemonSet.class, "peerwarden-agent").getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(selector);
    }

    @Test
    void everyMetricTheDashboardQueriesIsOneTheAgentExportsWithTheLabelsItUses() throws IOException {
        AgentMetrics metrics = new AgentMetrics(Clock.systemUTC());
        metrics.instance("team", "vpn", List.of(new AgentMetrics.PeerReading("laptop", 10, 20, 1_700_000_000, true)), 1);
        metrics.firewallChanges(1);
        String exposition = metrics.scrape();
        Set<String> exported = new TreeSet<>();
        Matcher line = Pattern.compile("(?m)^([a-z_]+)(\\{[^}]*\\})? ").matcher(exposition);
        while (line.find()) {
            exported.add(line.group(1));
        }
        assertThat(exported).containsAll(AgentMetrics.NAMES);

        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> queries = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
        dashboard.path("templating").path("list").forEach(v -> {
            if (v.path("type").asText().equals("query")) {
                queries.add(v.path("query").asText());
            }
        });
        assertThat(queries).hasSizeGreaterThan(5);
        Set<String> used = new TreeSet<>();
        Pattern name = Pattern.compile("peerwarden_[a-z_]+");
        for (String query : queries) {
            Matcher m = name.matcher(query);
            boolean any = false;
            while (m.find()) {
                used.add(m.group());
                any = true;
            }
            assertThat(any).as("query uses a Peerwarden metric: %s", query).isTrue();
            Matcher by = Pattern.compile("by \\(([^)]*)\\)").matcher(query);
            while (by.find()) {
                for (String label : by.group(1).split(",\\s*")) {
                    assertThat(Set.of("namespace", "instance", "peer")).as("label %s in %s", label, query).contains(label.strip());
                }
            }
        }
        assertThat(exported).as("metrics the dashboard queries").containsAll(used);
        assertThat(used).as("the per-peer metrics all have a panel").contains(AgentMetrics.PEER_RECEIVED, AgentMetrics.PEER_SENT,
                AgentMetrics.PEER_HANDSHAKE_AGE, AgentMetrics.PEER_CONNECTED, AgentMetrics.INSTANCE_PEERS, AgentMetrics.INSTANCE_APPLY_ERRORS);
        assertThat(exposition).contains("peerwarden_peer_received_bytes_total{instance=\"vpn\",namespace=\"team\",peer=\"laptop\"} 10.0");
    }
}
