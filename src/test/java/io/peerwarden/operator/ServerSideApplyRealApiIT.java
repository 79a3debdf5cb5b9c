package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.testing.Kubectl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GitOps on a real API server: a user (or Argo CD with server-side apply) applies
 * {@code deploy/examples/} with {@code kubectl apply --server-side}, the operator writes status and
 * Secrets, the user applies again and diffs: no conflict, no change, nothing to sync. That holds
 * because the operator never writes to what the manifests own (spec, labels, annotations).
 */
class ServerSideApplyRealApiIT {

    private static final String EXAMPLES = "deploy/examples/";
    private static final String OPERATOR = "peerwarden-operator";
    private static final List<String> PEERS = List.of("alice", "branch", "intruder");

    private RealNamespace ns;

    @BeforeEach
    void namespace() {
        ns = RealNamespace.create("ssa");
    }

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    @Test
    void reApplyingTheExamplesAfterTheOperatorWroteStatusConflictsWithNothingAndDiffsEmpty() {
        apply();
        ns.startOperator(OPERATOR);
        ns.awaitPeer("alice", rendered());
        ns.awaitPeer("branch", rendered());
        ns.awaitPeer("intruder", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.ALLOWED_IP_TAKEN));
        ns.awaitSecret(Labels.peerConfigSecretName("alice"));
        Map<String, Long> generations = generations();

        Kubectl.Result again = apply();
        Kubectl.Result diff = ns.cluster.kubectl("diff", "--server-side", "-n", ns.name, "-f", EXAMPLES);

        assertThat(again.stdout()).as("applied without a conflict").contains("vpnpeer.vpn.peerwarden.io/alice serverside-applied");
        assertThat(diff.exitCode()).as("kubectl diff: 0 means no differences\n" + diff.stdout() + diff.stderr()).isZero();
        assertThat(generations()).as("no spec changed").isEqualTo(generations);
        assertThat(ns.peer("alice").getStatus().getPublicKey()).as("the operator's status is still there").isNotNull();
        for (HasMetadata resource : examples()) {
            assertThat(operatorWrites(resource)).as("what the operator wrote to " + resource.getMetadata().getName())
                    .isNotEmpty().allMatch(entry -> "status".equals(entry.getSubresource()));
        }
    }

    /** {@code kubectl apply --server-side} of the examples into this test's namespace, as a user would type it. */
    private Kubectl.Result apply() {
        return ns.cluster.kubectl("apply", "--server-side", "-n", ns.name, "-f", EXAMPLES).orFail();
    }

    private List<HasMetadata> examples() {
        List<HasMetadata> resources = new ArrayList<>();
        resources.add(ns.instance("office"));
        PEERS.forEach(peer -> resources.add(ns.peer(peer)));
        return resources;
    }

    private Map<String, Long> generations() {
        return examples().stream().collect(Collectors.toMap(r -> r.getKind() + "/" + r.getMetadata().getName(),
                r -> r.getMetadata().getGeneration()));
    }

    private static List<ManagedFieldsEntry> operatorWrites(HasMetadata resource) {
        return resource.getMetadata().getManagedFields().stream().filter(e -> OPERATOR.equals(e.getManager())).toList();
    }
}
