package io.peerwarden.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.operator.OperatorHarness;
import io.peerwarden.testing.RecordingDispatcher;
import java.util.List;

/** {@link SecretsStaySecretScenario} on the CRUD mock, which also records the body of every write. */
class SecretsStaySecretIT extends SecretsStaySecretScenario {

    private OperatorHarness harness;

    @Override
    void startCluster() {
        harness = dataplane.add(new OperatorHarness());
    }

    @Override
    void startOperator() {
        harness.startOperator();
    }

    @Override
    KubernetesClient admin() {
        return harness.admin;
    }

    @Override
    String namespace() {
        return OperatorHarness.NS;
    }

    @Override
    KubernetesClient agentClient() {
        return dataplane.add(harness.cluster.client(OperatorAgentEndToEndIT.AGENT_USER_AGENT));
    }

    @Override
    List<String> recordedWrites() {
        return harness.cluster.requests().written().stream().map(RecordingDispatcher.Written::body).toList();
    }
}
