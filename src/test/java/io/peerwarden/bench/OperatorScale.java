package io.peerwarden.bench;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.render.QrCodes;
import io.peerwarden.operator.OperatorHarness;
import io.peerwarden.testing.RecordingDispatcher;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import static org.awaitility.Awaitility.await;

/**
 * One operator-level scale run against one API server, the operator in its own JVM
 * ({@link OperatorProcess}): the bare client loop of the same writes first (the baseline, same server,
 * same run, same parallelism as the operator's {@code --write-concurrency} default of 8), then N new
 * peers converged by the operator, one peer's spec change among them, its live heap, and a real
 * resync: the operator process restarted over the N rendered peers. Measures; asserting is the
 * caller's business ({@link OperatorBenchmarkTest} records, {@link ScaleTargetsTest} asserts counts).
 */
final class OperatorScale {

    /** The operator's default --write-concurrency, the parallelism of the baseline loop and of the peer creation. */
    static final int WRITE_CONCURRENCY = 8;
    /** Spec changes whose operator CPU is averaged (one after the other, each waited for). */
    static final int CHANGES = 10;
    static final Duration CONVERGE_PATIENCE = Duration.ofMinutes(25);

    /** What one run measured; writes counted by the server where it records requests, else by the operator's metric. */
    record Figures(String server, int peers, String maxHeap, boolean writesCountedByServer,
                   double baselineMillis, double convergeMillis, double convergeCpuMillis, double firstSecretMillis,
                   long convergeWrites, long convergeSecretWrites, long convergePeerWrites, Map<String, Long> convergeWritesByKind,
                   long changeWrites, Set<String> changeTouched, double changeMillis, double changeCpuMillis,
                   double heapEmptyMiB, double heapMiB, double threadsStarted,
                   long restartWrites, List<String> restartWritten, double restartReconciles, double restartMillis, boolean restartSurvived, double heapAfterRestartMiB,
                   String operatorLog) {

        double writesPerPeer() {
            return (double) convergeWrites / peers;
        }

        /** Live heap the N peers added to the operator's, per peer, in KiB: (heap at N − heap with the instance alone) / N. */
        double retainedKiBPerPeer() {
            return (heapMiB - heapEmptyMiB) * 1024 / peers;
        }
    }

    private final ScaleServer server;
    private final int peers;
    private final String maxHeap;
    private final boolean withBaseline;
    private final Path logDir = Path.of("target", "bench", "logs");

    /**
     * @param withBaseline run the bare client loop first (the benchmark); without, its figure is NaN (the CI-size test,
     *                     which asserts counts only)
     */
    OperatorScale(ScaleServer server, int peers, String maxHeap, boolean withBaseline) {
        this.server = server;
        this.peers = peers;
        this.maxHeap = maxHeap;
        this.withBaseline = withBaseline;
    }

    static String peerName(int i) {
        return String.format("p%05d", i);
    }

    Figures run() throws Exception {
        KubernetesClient admin = server.admin();
        double baseline = withBaseline ? baseline() : Double.NaN;
        String ns = server.namespace("bench");
        // the operator's own namespace, where it publishes the node keys: apart from the peers' writes
        String release = server.namespace("peerwarden");
        ExecutorService pool = Executors.newFixedThreadPool(WRITE_CONCURRENCY);
        OperatorProcess operator = OperatorProcess.start(server.kubeconfig(), maxHeap, release, logDir);
        Watch watch = new Watch(admin, ns);
        try {
            VpnInstance big = OperatorHarness.instance("big", "10.40.0.1/16");
            big.getMetadata().setNamespace(ns);
            admin.resource(big).create();
            awaitQuiet(operator, Duration.ofSeconds(2));
            double heapEmpty = operator.liveHeapMiB();

            // ---- converge N new peers --------------------------------------------------------
            int mark = server.mark();
            double writesBefore = operator.writes();
            double secretsBefore = operator.metric("peerwarden_api_writes_total", l -> l.contains("kind=\"secret\""));
            double peerWritesBefore = operator.metric("peerwarden_api_writes_total", l -> l.contains("kind=\"vpnpeer\""));
            double threadsBefore = operator.metric("jvm_threads_started_threads_total", l -> true);
            double convergeCpuBefore = operator.cpuMillis();
            Map<String, Double> threadCpuBefore = operator.cpuMillisByThread();
            long start = System.nanoTime();
            watch.start = start;
            parallel(pool, peers, i -> {
                VpnPeer peer = OperatorHarness.peer(peerName(i), "big", "client");
                peer.getMetadata().setNamespace(ns);
                admin.resource(peer).create();
            });
            OperatorProcess rolling = operator;
            await().atMost(CONVERGE_PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!rolling.alive()) {
                    throw new IllegalStateException("the operator exited during the rollout:\n" + tail(rolling.log()));
                }
                return watch.rendered.size() >= peers;
            });
            double converge = (watch.lastRendered.get() - start) / 1e6;
            double firstSecret = (watch.firstSecret.get() - start) / 1e6;
            double convergeCpu = operator.cpuMillis() - convergeCpuBefore;
            Map<String, Double> threadCpu = new TreeMap<>(operator.cpuMillisByThread());
            threadCpuBefore.forEach((thread, ms) -> threadCpu.merge(thread, -ms, Double::sum));
            System.out.printf("OperatorScale %s %d: operator CPU of the rollout by thread (ms): %s%n", server.label(), peers,
                    threadCpu.entrySet().stream().filter(e -> e.getValue() >= 50).sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                            .map(e -> e.getKey() + "=" + Math.round(e.getValue())).toList());
            awaitQuiet(operator, Duration.ofSeconds(3));
            double threadsStarted = operator.metric("jvm_threads_started_threads_total", l -> true) - threadsBefore;
            long convergeWrites;
            long secretWrites;
            long peerWrites;
            Map<String, Long> byKind = new TreeMap<>();
            List<RecordingDispatcher.Call> served = server.operatorWritesSince(mark);
            if (served != null) {
                served.forEach(c -> byKind.merge(kindOf(c, ns, release), 1L, Long::sum));
                convergeWrites = served.size();
                secretWrites = served.stream().filter(c -> c.path().contains("/secrets")).count();
                peerWrites = served.stream().filter(c -> c.path().contains("/vpnpeers")).count();
            } else {
                convergeWrites = Math.round(operator.writes() - writesBefore);
                secretWrites = Math.round(operator.metric("peerwarden_api_writes_total", l -> l.contains("kind=\"secret\"")) - secretsBefore);
                peerWrites = Math.round(operator.metric("peerwarden_api_writes_total", l -> l.contains("kind=\"vpnpeer\"")) - peerWritesBefore);
            }

            // ---- one peer's spec change among N ----------------------------------------------
            // the first change gives the writes and the latency; its CPU and that of CHANGES - 1 more (other peers, one at
            // a time) give the CPU per change: /proc counts in 10 ms ticks, so one change alone is one or two ticks
            mark = server.mark();
            writesBefore = operator.writes();
            double cpuBefore = operator.cpuMillis();
            double changeMillis = change(admin, ns, watch, peerName(peers / 2), "10.40.0.53");
            double firstChangeCpu = operator.cpuMillis() - cpuBefore;
            awaitQuiet(operator, Duration.ofSeconds(3));
            long changeWrites;
            Set<String> touched = new TreeSet<>();
            served = server.operatorWritesSince(mark);
            if (served != null) {
                changeWrites = served.size();
                served.forEach(c -> touched.add(objectOf(c.path())));
            } else {
                changeWrites = Math.round(operator.writes() - writesBefore);
            }
            double moreCpuBefore = operator.cpuMillis();
            for (int c = 1; c < CHANGES; c++) {
                change(admin, ns, watch, peerName((peers / 2 + 7 * c) % peers), "10.40.0." + (53 + c));
            }
            double changeCpu = (firstChangeCpu + operator.cpuMillis() - moreCpuBefore) / CHANGES;

            // ---- live heap at N ----------------------------------------------------------------
            double heap = operator.liveHeapMiB();

            // ---- a real resync: the operator process restarted over the N rendered peers --------
            operator.close();
            mark = server.mark();
            long restartStart = System.nanoTime();
            operator = OperatorProcess.start(server.kubeconfig(), maxHeap, release, logDir);
            OperatorProcess restarted = operator;
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!restarted.alive()) {
                    throw new IllegalStateException("the restarted operator exited:\n" + tail(restarted.log()));
                }
                return restarted.instanceReconciles() >= 1;
            });
            double restartMillis = (System.nanoTime() - restartStart) / 1e6;
            awaitQuiet(operator, Duration.ofSeconds(3));
            served = server.operatorWritesSince(mark);
            long restartWrites = served != null ? served.size() : Math.round(operator.writes());
            List<String> restartWritten = served == null ? List.of() : served.stream().map(c -> c.method() + " " + c.path()).toList();
            double restartReconciles = operator.instanceReconciles();
            double heapAfterRestart = operator.liveHeapMiB();
            boolean survived = operator.alive() && !operator.ranOutOfMemory();
            return new Figures(server.label(), peers, maxHeap, served != null, baseline, converge, convergeCpu, firstSecret,
                    convergeWrites, secretWrites, peerWrites, byKind, changeWrites, touched, changeMillis, changeCpu, heapEmpty, heap,
                    threadsStarted, restartWrites, restartWritten, restartReconciles, restartMillis, survived, heapAfterRestart, tail(operator.log()));
        } finally {
            watch.close();
            operator.close();
            pool.shutdownNow();
            server.dropNamespace(ns);
            server.dropNamespace(release);
        }
    }

    /** A write as "METHOD resource[/status] in peers|release|other namespace", for the breakdown of the rollout's writes. */
    static String kindOf(RecordingDispatcher.Call call, String peersNamespace, String releaseNamespace) {
        String p = call.path().contains("?") ? call.path().substring(0, call.path().indexOf('?')) : call.path();
        String[] parts = p.split("/");
        String where = "cluster";
        String resource = "?";
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equals("namespaces")) {
                where = parts[i + 1].equals(peersNamespace) ? "peers' namespace" : parts[i + 1].equals(releaseNamespace) ? "release namespace" : "other";
                resource = i + 2 < parts.length ? parts[i + 2] : "namespaces";
            }
        }
        return call.method() + " " + resource + (p.endsWith("/status") ? "/status" : "") + " (" + where + ")";
    }

    /**
     * The bare client loop: N peers created, then for each one Secret created and one status written, 8 at a time,
     * with no operator running, in a namespace emptied again before the operator starts (so that the server holds
     * the same objects when the operator's run begins). The same writes as the operator's, with its payload sizes:
     * a config, a private key and the QR PNG of a typical config.
     */
    private double baseline() throws Exception {
        KubernetesClient bare = server.bareClient();
        String ns = server.namespace("bare");
        ExecutorService pool = Executors.newFixedThreadPool(WRITE_CONCURRENCY);
        try {
            String typicalConfig = config(1);
            String png = Base64.getEncoder().encodeToString(QrCodes.png(typicalConfig));
            String key = Base64.getEncoder().encodeToString(new byte[32]);
            String privateKey = Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.US_ASCII));
            VpnPeer[] created = new VpnPeer[peers];
            long start = System.nanoTime();
            parallel(pool, peers, i -> {
                VpnPeer peer = OperatorHarness.peer(peerName(i), "big", "client");
                peer.getMetadata().setNamespace(ns);
                created[i] = bare.resource(peer).create();
            });
            parallel(pool, peers, i -> {
                VpnPeer peer = created[i];
                Map<String, String> data = new HashMap<>();
                data.put(Labels.CONFIG, Base64.getEncoder().encodeToString(config(i).getBytes(StandardCharsets.UTF_8)));
                data.put(Labels.PRIVATE_KEY, privateKey);
                data.put(Labels.CONFIG_QR, png);
                Secret secret = new SecretBuilder().withNewMetadata().withName(Labels.peerConfigSecretName(peer.getMetadata().getName()))
                        .withNamespace(ns)
                        .withLabels(Map.of(Labels.MANAGED_BY, "peerwarden-bench-bare", Labels.COMPONENT, Labels.COMPONENT_PEER_CONFIG,
                                Labels.PEER, peer.getMetadata().getName()))
                        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(peer.getApiVersion()).withKind(peer.getKind())
                                .withName(peer.getMetadata().getName()).withUid(peer.getMetadata().getUid()).withController(true).build())
                        .endMetadata().withData(data).build();
                bare.resource(secret).create();
                VpnPeerStatus status = new VpnPeerStatus();
                status.setAllowedIPs(List.of(address(i) + "/32"));
                status.setPublicKey(key);
                status.setConfigSecretName(secret.getMetadata().getName());
                status.setObservedGeneration(peer.getMetadata().getGeneration());
                status.setConditions(new ArrayList<>(List.of(
                        condition(ConditionTypes.VALID, "Valid"), condition(ConditionTypes.ADDRESS_ASSIGNED, "Assigned"),
                        condition(ConditionTypes.CONFIG_RENDERED, "Rendered"))));
                peer.setStatus(status);
                bare.resource(peer).updateStatus();
            });
            double millis = (System.nanoTime() - start) / 1e6;
            bare.resources(VpnPeer.class).inNamespace(ns).delete();
            bare.secrets().inNamespace(ns).withLabel(Labels.MANAGED_BY, "peerwarden-bench-bare").delete();
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500))
                    .until(() -> bare.resources(VpnPeer.class).inNamespace(ns).list().getItems().isEmpty()
                            && bare.secrets().inNamespace(ns).withLabel(Labels.MANAGED_BY, "peerwarden-bench-bare").list().getItems().isEmpty());
            return millis;
        } finally {
            pool.shutdownNow();
            server.dropNamespace(ns);
        }
    }

    private static io.fabric8.kubernetes.api.model.Condition condition(String type, String reason) {
        return new io.fabric8.kubernetes.api.model.ConditionBuilder().withType(type).withStatus("True").withReason(reason)
                .withMessage("as the operator would say").withLastTransitionTime(Instant.now().toString()).build();
    }

    private static String address(int i) {
        return "10.40." + ((i + 2) / 256) + "." + ((i + 2) % 256);
    }

    private static String config(int i) {
        return "[Interface]\nPrivateKey = " + "A".repeat(43) + "=\nAddress = " + address(i) + "/32\n\n[Peer]\nPublicKey = "
                + "B".repeat(43) + "=\nEndpoint = vpn.example.com:51820\nAllowedIPs = 10.40.0.0/16\n";
    }

    /** The object a write names: the peer of a status write, the Secret of a Secret write, the collection of a create. */
    static String objectOf(String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String[] parts = p.split("/");
        int last = parts.length - 1;
        if (parts[last].equals("status")) {
            last--;
        }
        return parts[last - 1] + "/" + parts[last];
    }

    static boolean rendered(VpnPeer p) {
        VpnPeerStatus s = p.getStatus();
        return s != null && p.getMetadata().getGeneration() != null && p.getMetadata().getGeneration().equals(s.getObservedGeneration())
                && s.getAllowedIPs() != null && !s.getAllowedIPs().isEmpty() && s.getConfigSecretName() != null;
    }

    private static void parallel(ExecutorService pool, int count, IntConsumer task) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        AtomicLong next = new AtomicLong();
        for (int t = 0; t < WRITE_CONCURRENCY; t++) {
            futures.add(pool.submit(() -> {
                for (long i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    task.accept((int) i);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
    }

    /** Changes one peer's DNS and waits until its status shows the new generation rendered; returns the milliseconds. */
    private static double change(KubernetesClient admin, String ns, Watch watch, String peer, String dns) {
        long start = System.nanoTime();
        VpnPeer edited = admin.resources(VpnPeer.class).inNamespace(ns).withName(peer).edit(p -> {
            p.getSpec().setDns(List.of(dns));
            return p;
        });
        long generation = edited.getMetadata().getGeneration();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(1)).until(() -> {
            VpnPeer seen = watch.peers.get(peer);
            return seen != null && seen.getStatus() != null && Long.valueOf(generation).equals(seen.getStatus().getObservedGeneration())
                    && rendered(seen);
        });
        return (System.nanoTime() - start) / 1e6;
    }

    /** Returns once a whole window passed with neither an operator write nor a finished reconcile. */
    static void awaitQuiet(OperatorProcess operator, Duration window) {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(1)).until(() -> {
            double writes = operator.writes();
            double reconciles = operator.reconciles();
            Thread.sleep(window.toMillis());
            return writes == operator.writes() && reconciles == operator.reconciles();
        });
    }

    static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
    }

    /** What this JVM sees of the run: every peer as last seen, which are rendered, when the first config Secret came. */
    private static final class Watch implements AutoCloseable {
        final Map<String, VpnPeer> peers = new ConcurrentHashMap<>();
        final Set<String> rendered = ConcurrentHashMap.newKeySet();
        final AtomicLong lastRendered = new AtomicLong();
        final AtomicLong firstSecret = new AtomicLong();
        volatile long start = Long.MAX_VALUE;
        private final SharedIndexInformer<VpnPeer> peerInformer;
        private final SharedIndexInformer<Secret> secretInformer;

        Watch(KubernetesClient client, String ns) {
            peerInformer = client.resources(VpnPeer.class).inNamespace(ns).inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(VpnPeer p) {
                    seen(p);
                }

                @Override
                public void onUpdate(VpnPeer old, VpnPeer p) {
                    seen(p);
                }

                @Override
                public void onDelete(VpnPeer p, boolean unknown) {
                }
            });
            secretInformer = client.secrets().inNamespace(ns).withLabel(Labels.COMPONENT, Labels.COMPONENT_PEER_CONFIG)
                    .inform(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(Secret s) {
                            long now = System.nanoTime();
                            if (now >= start) {
                                firstSecret.compareAndSet(0, now);
                            }
                        }

                        @Override
                        public void onUpdate(Secret old, Secret s) {
                        }

                        @Override
                        public void onDelete(Secret s, boolean unknown) {
                        }
                    });
        }

        private void seen(VpnPeer p) {
            peers.put(p.getMetadata().getName(), p);
            if (rendered(p) && rendered.add(p.getMetadata().getName())) {
                lastRendered.set(System.nanoTime());
            }
        }

        @Override
        public void close() {
            peerInformer.close();
            secretInformer.close();
        }
    }
}
