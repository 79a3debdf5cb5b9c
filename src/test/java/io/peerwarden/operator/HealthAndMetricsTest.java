package io.peerwarden.operator;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.testing.CreationTimestamps;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a kubelet probe and Prometheus see on the operator's one HTTP port. */
class HealthAndMetricsTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesAnswerAndMetricsCountPeersCollisionsAndReconciles() throws Exception {
        OperatorSettings settings = new OperatorSettings(Set.of(), false, null, 0, Duration.ofMinutes(10), 4, 4);
        try (OperatorHarness harness = new OperatorHarness().startOperator(settings)) {
            int port = harness.operator().healthPort();
            assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);

            harness.create(instance("office", "10.24.0.1/24"));
            VpnPeer holder = peer("branch", "office", "site");
            holder.getSpec().setAllowedIPs(List.of("10.24.0.10/32"));
            harness.create(holder);
            CreationTimestamps.awaitSecondAfter(harness.awaitPeer("branch", rendered()));
            VpnPeer intruder = peer("intruder", "office", "client");
            intruder.getSpec().setAllowedIPs(List.of("10.24.0.10/32"));
            harness.create(intruder);
            harness.awaitPeer("intruder", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.ALLOWED_IP_TAKEN));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String metrics = get(port, "/metrics").body();
                assertThat(metrics).contains("peerwarden_collisions 1.0")
                        .contains("peerwarden_peers{condition=\"Ready\",status=\"False\"} 1.0")
                        .contains("peerwarden_peers{condition=\"Ready\",status=\"Unknown\"} 1.0")
                        .contains("peerwarden_instances 1.0")
                        .containsPattern("peerwarden_reconciles_total\\{controller=\"vpninstance\",result=\"success\"} [1-9]")
                        .contains("peerwarden_api_writes_total{kind=\"secret\",verb=\"create\"}")
                        .contains("jvm_memory_used_bytes");
            });
            assertThat(get(port, "/metrics").body()).doesNotContain("PrivateKey");
        }
    }
}
