package io.peerwarden.reliability;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Transfer;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.kube.StatusUpdates;
import io.peerwarden.operator.OperatorHarness;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.RealCluster;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's and the agent's status writers under contention on a real API server: 10 peers, for each
 * an operator-side and an agent-side writer (two clients, as two processes), 30 rounds each, all 20 at once,
 * through {@link StatusUpdates} (a JSON Patch guarded by the resourceVersion read, re-read on 409). Every
 * writer's last round survives on every peer, and the 409s show the contention was real.
 */
class StatusWritersStressRealApiIT {

    static final int PEERS = 10;
    static final int ROUNDS = Sizes.STATUS_ROUNDS;
    private static final Clock CLOCK = Clock.systemUTC();

    /** Counts the API server's 409 answers to one client. */
    static final class Conflicts implements Interceptor {
        final AtomicLong count = new AtomicLong();

        @Override
        public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
            if (response.code() == 409) {
                count.incrementAndGet();
            }
        }
    }

    private static KubernetesClient client(RealCluster cluster, String userAgent, Conflicts conflicts) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
        config.setUserAgent(userAgent);
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(http -> http.addOrReplaceInterceptor("conflicts", conflicts)).build();
    }

    @Test
    void twentyConcurrentWritersOfTenPeersLoseNoUpdate() throws Exception {
        RealCluster cluster = RealCluster.shared();
        String namespace = cluster.createNamespace("writers");
        Conflicts operatorConflicts = new Conflicts();
        Conflicts agentConflicts = new Conflicts();
        try (Closer closer = new Closer()) {
            closer.add(() -> cluster.deleteNamespace(namespace));
            KubernetesClient operator = closer.add(client(cluster, "peerwarden-operator", operatorConflicts));
            KubernetesClient agent = closer.add(client(cluster, "peerwarden-agent", agentConflicts));
            for (int i = 0; i < PEERS; i++) {
                VpnPeer peer = OperatorHarness.peer("w" + i, "office", "client");
                peer.getMetadata().setNamespace(namespace);
                cluster.admin().resource(peer).create();
            }
            ExecutorService pool = Executors.newFixedThreadPool(2 * PEERS);
            AutoCloseable stopPool = pool::shutdownNow;
            closer.add(stopPool);
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int i = 0; i < PEERS; i++) {
                String name = "w" + i;
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        int r = round;
                        StatusUpdates.update(operator, read(operator, namespace, name), VpnPeer.class, status -> {
                            status.setAllowedIPs(List.of("10.24.1." + (r + 2) + "/32"));
                            status.setConditions(Conditions.with(status.getConditions(), ConditionTypes.VALID, Conditions.TRUE,
                                    "Valid", "round " + r, 1L, CLOCK));
                            return status;
                        });
                    }
                }, pool));
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        long r = round;
                        StatusUpdates.update(agent, read(agent, namespace, name), VpnPeer.class, status -> {
                            Transfer transfer = new Transfer();
                            transfer.setReceiveBytes(r * 100);
                            status.setTransfer(transfer);
                            status.setConditions(Conditions.with(status.getConditions(), ConditionTypes.APPLIED, Conditions.TRUE,
                                    "Applied", "round " + r, 1L, CLOCK));
                            return status;
                        });
                    }
                }, pool));
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();

            for (int i = 0; i < PEERS; i++) {
                VpnPeer last = read(cluster.admin(), namespace, "w" + i);
                assertThat(last.getStatus().getAllowedIPs()).as("w%d operator's last write", i).containsExactly("10.24.1." + (ROUNDS + 1) + "/32");
                assertThat(last.getStatus().getTransfer().getReceiveBytes()).as("w%d agent's last write", i).isEqualTo((ROUNDS - 1) * 100L);
                assertThat(Conditions.find(last.getStatus().getConditions(), ConditionTypes.VALID).orElseThrow().getMessage())
                        .isEqualTo("round " + (ROUNDS - 1));
                assertThat(Conditions.find(last.getStatus().getConditions(), ConditionTypes.APPLIED).orElseThrow().getMessage())
                        .isEqualTo("round " + (ROUNDS - 1));
                assertThat(last.getStatus().getConditions()).hasSize(2);
            }
            long conflicts = operatorConflicts.count.get() + agentConflicts.count.get();
            assertThat(conflicts).as("409s: the writers did contend").isPositive();
            FaultRun.record("status writers (real API server): " + PEERS + " peers x 2 writers x " + ROUNDS + " rounds at once, "
                    + conflicts + " conflicts (409) re-read and retried, lost updates: none");
        }
    }

    private static VpnPeer read(KubernetesClient client, String namespace, String name) {
        return client.resources(VpnPeer.class).inNamespace(namespace).withName(name).get();
    }
}
