package io.peerwarden.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator-level figures of issue 11, the operator in its own JVM as the product starts it
 * ({@code java -Xmx256m ... io.peerwarden.Main operator}), against the CRUD mock and against the real
 * kube-apiserver + etcd, for each size of {@code -Dbench.operator.peers} (default 1000; the bench
 * profile runs 1000 and 10000). Every figure is a row of {@link BenchResults}, its baseline measured
 * in the same run against the same server: the bare client loop of the same writes for the rollout.
 * Asserts only what must hold for the figures to mean anything: the rollout converged, the restart
 * reconciled and survived.
 */
@Tag("benchmark")
class OperatorBenchmarkTest {

    static final String HEAP = "256m";

    static List<Integer> sizes() {
        return Arrays.stream(System.getProperty("bench.operator.peers", "1000").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
    }

    @Test
    void mock() throws Exception {
        for (int n : sizes()) {
            try (ScaleServer server = ScaleServer.mock()) {
                record(new OperatorScale(server, n, HEAP, true).run());
            }
        }
    }

    @Test
    void real() throws Exception {
        for (int n : sizes()) {
            try (ScaleServer server = ScaleServer.real()) {
                record(new OperatorScale(server, n, HEAP, true).run());
            }
        }
    }

    static void record(OperatorScale.Figures f) {
        String s = f.server();
        String server = s.equals("mock") ? "CRUD mock" : "real kube-apiserver + etcd";
        String n = String.format(Locale.ROOT, "%,d", f.peers());
        String id = "." + f.peers() + "." + s;
        String counted = f.writesCountedByServer() ? "counted by the server" : "operator's peerwarden_api_writes_total";
        BenchResults.record("operator.converge" + id, "converge " + n + " new peers, operator -Xmx" + f.maxHeap() + " (" + server + ")",
                f.convergeMillis(), "ms", f.baselineMillis(), "bare client loop of the same writes, 8 in parallel, same server and run",
                "≤ 1.5×");
        BenchResults.record("operator.converge.cpu" + id, "operator process CPU during the converge of " + n + " new peers (" + server
                + "; the converge's cost that does not depend on the machine's load)", f.convergeCpuMillis(), "ms", null, null, null);
        BenchResults.record("operator.threads-started" + id, "threads the operator started during the rollout of " + n
                        + " peers (" + server + ")", f.threadsStarted(), "threads", null, null, null);
        BenchResults.record("operator.first-secret" + id, "first config Secret after the peers' creation began, " + n + " peers (" + server + ")",
                f.firstSecretMillis(), "ms", null, null, "≤ 2000 ms");
        BenchResults.record("operator.writes-per-peer" + id, "API writes per new peer, " + n + " peers (" + server + ", " + counted + ")",
                f.writesPerPeer(), "writes", 2.0, "floor: one Secret + one status", "= 2");
        if (f.writesCountedByServer()) {
            long own = f.convergeWrites() - f.convergeWritesByKind().entrySet().stream()
                    .filter(e -> e.getKey().contains("secrets (peers' namespace)") || e.getKey().contains("vpnpeers/status (peers' namespace)"))
                    .mapToLong(java.util.Map.Entry::getValue).sum();
            BenchResults.record("operator.writes-not-per-peer" + id, "of which writes about no one peer (instance status, node keys,"
                    + " Events), " + n + " peers (" + server + ")", own, "writes", null, null, null);
        }
        BenchResults.record("operator.change.writes" + id, "one peer's spec change among " + n + ": writes (" + server + ")",
                f.changeWrites(), "writes", null, null, "= 2");
        BenchResults.record("operator.change.latency" + id, "one peer's spec change among " + n + ": until its status shows it (" + server + ")",
                f.changeMillis(), "ms", null, null, null);
        BenchResults.record("operator.change.cpu" + id, "one peer's spec change among " + n + ": operator process CPU, mean of " + OperatorScale.CHANGES
                        + " changes one after the other (" + server + ")",
                f.changeCpuMillis(), "ms", null, null, "≤ 50 ms");
        // the heap target is for 10,000 peers; at other sizes the per-peer row carries it
        String heapTarget = f.peers() == 10_000 ? "≤ 128 MiB" : null;
        BenchResults.record("operator.heap" + id, "operator live heap after GC, " + n + " rendered peers (" + server + ")",
                f.heapMiB(), "MiB", null, null, heapTarget);
        BenchResults.record("operator.restart.writes" + id, "restart over " + n + " rendered peers (a real resync, "
                        + (long) f.restartReconciles() + " instance reconciles): writes (" + server + ", " + counted + ")",
                f.restartWrites(), "writes", null, null, "= 0");
        BenchResults.record("operator.restart.reconciled" + id, "restart over " + n + " rendered peers: first reconcile finished after"
                        + " (-Xmx" + f.maxHeap() + ", " + (f.restartSurvived() ? "no OutOfMemoryError" : "FAILED: ran out of memory or exited")
                        + ", " + server + ")",
                f.restartMillis(), "ms", null, null, null);
        BenchResults.record("operator.restart.heap" + id, "operator live heap after GC after the restart, " + n + " peers (" + server + ")",
                f.heapAfterRestartMiB(), "MiB", null, null, heapTarget);
        BenchResults.record("operator.heap-per-peer" + id, "operator live heap retained per rendered peer, " + n + " peers (" + server + ")",
                f.retainedKiBPerPeer(), "KiB", null, null, "≤ 12.8 KiB (128 MiB / 10,000)");
        System.out.printf("OperatorBenchmark %s %s: rollout writes %d (Secrets %d, VpnPeers %d) %s, change touched %s, heap with the instance alone %.1f MiB%n",
                s, n, f.convergeWrites(), f.convergeSecretWrites(), f.convergePeerWrites(), f.convergeWritesByKind(), f.changeTouched(),
                f.heapEmptyMiB());
        assertThat(f.restartReconciles()).as("the restart reconciled the instance").isGreaterThanOrEqualTo(1);
        assertThat(f.restartSurvived()).as("the restarted operator survived with -Xmx" + f.maxHeap() + ":\n" + f.operatorLog()).isTrue();
    }
}
