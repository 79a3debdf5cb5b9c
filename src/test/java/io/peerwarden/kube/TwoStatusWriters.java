package io.peerwarden.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Transfer;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator and the node agent writing one peer's status at the same time, each its own fields
 * (operator: allowed IPs and Valid; agent: transfer and Applied), round after round: the scenario of
 * the mock test and of the real-API test alike.
 */
final class TwoStatusWriters {

    static final int ROUNDS = 40;
    private static final Clock CLOCK = Clock.systemUTC();

    private TwoStatusWriters() {
    }

    /** Runs both writers to the end, each re-reading the peer with {@code read} before every write. */
    static void writeConcurrently(KubernetesClient operator, KubernetesClient agent, Supplier<VpnPeer> read) {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Void> operatorWrites = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    int round = i;
                    StatusUpdates.update(operator, read.get(), VpnPeer.class, status -> {
                        status.setAllowedIPs(List.of("10.24.0." + (round + 2) + "/32"));
                        status.setConditions(Conditions.with(status.getConditions(), ConditionTypes.VALID, Conditions.TRUE,
                                "Valid", "round " + round, 1L, CLOCK));
                        return status;
                    });
                }
            }, pool);
            CompletableFuture<Void> agentWrites = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    long round = i;
                    StatusUpdates.update(agent, read.get(), VpnPeer.class, status -> {
                        Transfer transfer = new Transfer();
                        transfer.setReceiveBytes(round * 100);
                        status.setTransfer(transfer);
                        status.setConditions(Conditions.with(status.getConditions(), ConditionTypes.APPLIED, Conditions.TRUE,
                                "Applied", "round " + round, 1L, CLOCK));
                        return status;
                    });
                }
            }, pool);
            CompletableFuture.allOf(operatorWrites, agentWrites).join();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Each writer's last round is there, and nothing else. */
    static void assertNothingLost(VpnPeer last) {
        assertThat(last.getStatus().getAllowedIPs()).containsExactly("10.24.0." + (ROUNDS + 1) + "/32");
        assertThat(last.getStatus().getTransfer().getReceiveBytes()).isEqualTo((ROUNDS - 1) * 100L);
        assertThat(Conditions.find(last.getStatus().getConditions(), ConditionTypes.VALID).orElseThrow().getMessage())
                .isEqualTo("round " + (ROUNDS - 1));
        assertThat(Conditions.find(last.getStatus().getConditions(), ConditionTypes.APPLIED).orElseThrow().getMessage())
                .isEqualTo("round " + (ROUNDS - 1));
        assertThat(last.getStatus().getConditions()).hasSize(2);
    }
}
