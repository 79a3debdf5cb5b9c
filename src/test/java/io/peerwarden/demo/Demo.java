package io.peerwarden.demo;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.peerwarden.agent.Agent;
import io.peerwarden.agent.AgentConfig;
import io.peerwarden.agent.LogsInto;
import io.peerwarden.agent.Implementation;
import io.peerwarden.agent.InterfaceDriver;
import io.peerwarden.agent.KeyFiles;
import io.peerwarden.agent.NetNs;
import io.peerwarden.agent.Privileged;
import io.peerwarden.agent.WgQuickClient;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.operator.PeerwardenOperator;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.MockCluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Peerwarden without a cluster: an in-process API server (the CRUD mock the tests use) with the
 * CRDs, {@code deploy/examples/} applied, the real operator, and — as root with wireguard-go — the
 * real agent on a userspace interface in a private network namespace, plus the example client's
 * rendered config brought up in a second namespace, so a real handshake crosses a real tunnel.
 * Prints what {@code kubectl get vpninstances,vpnpeers} would show and the client's config, then
 * runs until interrupted; everything it created is removed on the way out.
 *
 * <p>Runs from the test classpath, so the mock never ships in the product jar:
 * {@code mvn -q test-compile exec:java@demo} (add {@code -Ddemo.exit=true} to stop after printing).
 */
public final class Demo implements AutoCloseable {

    static final String NS = "default";
    static final String NODE = "worker-1";
    static final String CLIENT = "alice";
    static final Path EXAMPLES = Path.of("deploy", "examples");
    private static final String SERVER_VETH_ADDRESS = "10.249.0.1";

    private final PrintStream out;
    private final Closer closer = new Closer();
    private MockCluster cluster;
    /** Private (0700) directory for the client's config and both wireguard-go logs; removed by {@link #close}. */
    private Path dir;

    Demo(PrintStream out) {
        this.out = out;
    }

    /** Held so the level sticks: the mock logs every request through java.util.logging. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        boolean exitAfterPrint = Boolean.getBoolean("demo.exit") || List.of(args).contains("--exit-after-print");
        Demo demo = new Demo(System.out);
        CountDownLatch interrupted = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            interrupted.countDown();
        }, "demo-cleanup"));
        demo.run();
        if (!exitAfterPrint) {
            demo.out.println("\nRunning; press Ctrl+C to stop and remove everything the demo created.");
            interrupted.await();
        }
        System.exit(0);
    }

    /** The demo's private directory, null before the tunnel is brought up. */
    Path directory() {
        return dir;
    }

    /** Brings everything up and prints the result; the caller closes. */
    void run() throws Exception {
        step("starting an in-process API server (fabric8 CRUD mock) with the Peerwarden CRDs and node " + NODE);
        cluster = new MockCluster(NODE);
        KubernetesClient admin = cluster.admin();
        step("kubectl apply -f " + EXAMPLES + "/");
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    HasMetadata resource = (HasMetadata) Serialization.unmarshal(in);
                    // the examples name no namespace, so that kubectl -n puts them anywhere: here, NS
                    admin.resource(resource).inNamespace(NS).create();
                    out.println("  " + resource.getKind().toLowerCase() + "/" + resource.getMetadata().getName() + " created");
                }
            }
        }
        step("starting the operator");
        KubernetesClient operatorClient = closer.add(cluster.client("peerwarden-operator"));
        closer.add(PeerwardenOperator.start(operatorClient, OperatorSettings.forTests()));
        await(Duration.ofSeconds(30), () -> rendered(admin, CLIENT));

        Optional<String> problem = Privileged.problem();
        if (problem.isPresent()) {
            step("skipping the node agent and the tunnel: " + problem.get()
                    + " (run as root with wireguard-tools and wireguard-go installed to see a real handshake)");
        } else {
            bringUpTunnel(admin);
        }
        await(Duration.ofSeconds(60), () -> countsAgree(admin));
        step("kubectl get vpninstances,vpnpeers");
        printTables(admin);
        step("kubectl get secret " + Labels.peerConfigSecretName(CLIENT) + " -o jsonpath='{.data.wg0\\.conf}' | base64 -d");
        out.print(config(admin, CLIENT));
    }

    private void bringUpTunnel(KubernetesClient admin) throws IOException {
        step("starting the node agent for " + NODE + " in a private network namespace (userspace WireGuard)");
        NetNs server = closer.add(NetNs.create("pwdemo-srv"));
        NetNs client = closer.add(NetNs.create("pwdemo-cli"));
        server.veth("pwd0", SERVER_VETH_ADDRESS + "/30", client, "pwd1", "10.249.0.2/30");
        KeyFiles keyFiles = closer.add(new KeyFiles(KeyFiles.defaultBase()));
        KubernetesClient agentClient = closer.add(cluster.client("peerwarden-agent"));
        dir = closer.privateDirectory("pwdemo-");
        Agent agent = new Agent(agentClient, new AgentConfig(NODE, Set.of(NS), Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofMillis(200), 4), new InterfaceDriver(LogsInto.directory(dir, server.runner()), Implementation.AUTO, keyFiles),
                Clock.systemUTC());
        closer.add(agent);
        agent.start();
        await(Duration.ofSeconds(30), () -> ready(admin, CLIENT));

        step("bringing up " + CLIENT + "'s rendered config in a second namespace (its endpoint "
                + "vpn.example.com stands for your public address; the demo dials the server namespace instead)");
        String config = config(admin, CLIENT).replaceAll("(?m)^Endpoint = .*$", "Endpoint = " + SERVER_VETH_ADDRESS + ":51830");
        Process wgGo = WgQuickClient.bringUp(client, "pwdemo0", config, dir);
        closer.add(wgGo::destroy);
        await(Duration.ofSeconds(20), () -> client.execResult("ping", "-c", "1", "-W", "1", "10.24.0.1").ok());
        out.println("  ping 10.24.0.1 (the server) through the tunnel: ok");
        await(Duration.ofSeconds(30), () -> {
            VpnPeer peer = admin.resources(VpnPeer.class).inNamespace(NS).withName(CLIENT).get();
            return peer.getStatus() != null && Boolean.TRUE.equals(peer.getStatus().getConnected());
        });
        VpnPeer alice = admin.resources(VpnPeer.class).inNamespace(NS).withName(CLIENT).get();
        out.println("  latest handshake " + alice.getStatus().getLatestHandshake() + " from " + alice.getStatus().getConnectedFrom());
    }

    /**
     * The instances' peer counts are the operator's tally of the peers' statuses, written a moment
     * after the agent writes a peer's {@code connected}: wait until they agree, so that one
     * printout does not contradict itself.
     */
    private static boolean countsAgree(KubernetesClient admin) {
        List<VpnPeer> peers = admin.resources(VpnPeer.class).inNamespace(NS).list().getItems();
        for (VpnInstance i : admin.resources(VpnInstance.class).inNamespace(NS).list().getItems()) {
            long connected = peers.stream().filter(p -> p.getSpec().getInstanceRef() != null
                            && i.getMetadata().getName().equals(p.getSpec().getInstanceRef().getName()))
                    .filter(p -> p.getStatus() != null && Boolean.TRUE.equals(p.getStatus().getConnected())).count();
            var counts = i.getStatus() == null ? null : i.getStatus().getPeers();
            if (counts == null || counts.getConnected() == null || counts.getConnected() != connected) {
                return false;
            }
        }
        return true;
    }

    private void printTables(KubernetesClient admin) {
        String instanceFormat = "%-10s %-10s %-6s %-6s %-10s %-8s %s%n";
        out.printf(instanceFormat, "NAME", "NODE", "PORT", "PEERS", "CONNECTED", "READY", "AGE");
        for (VpnInstance i : byName(admin.resources(VpnInstance.class).inNamespace(NS).list().getItems())) {
            var s = i.getStatus();
            out.printf(instanceFormat, i.getMetadata().getName(), s == null ? "" : s.getNodeName(), s == null ? "" : s.getListenPort(),
                    s == null || s.getPeers() == null ? "" : s.getPeers().getTotal(),
                    s == null || s.getPeers() == null ? "" : s.getPeers().getConnected(),
                    s == null ? "" : readyOf(s.getConditions()), age(i));
        }
        out.println();
        String peerFormat = "%-10s %-7s %-9s %-32s %-10s %-8s %-22s %s%n";
        out.printf(peerFormat, "NAME", "TYPE", "INSTANCE", "ADDRESS", "CONNECTED", "READY", "REASON", "AGE");
        List<VpnPeer> peers = byName(admin.resources(VpnPeer.class).inNamespace(NS).list().getItems());
        for (VpnPeer p : peers) {
            var s = p.getStatus();
            out.printf(peerFormat, p.getMetadata().getName(), p.getSpec().getType(), p.getSpec().getInstanceRef().getName(),
                    s == null || s.getAllowedIPs() == null ? "" : String.join(",", s.getAllowedIPs()),
                    s == null || s.getConnected() == null ? "" : s.getConnected(),
                    s == null ? "" : readyOf(s.getConditions()),
                    s == null ? "" : Conditions.find(s.getConditions(), ConditionTypes.READY).map(c -> c.getReason()).orElse(""),
                    age(p));
        }
        for (VpnPeer p : peers) {
            Conditions.find(p.getStatus() == null ? null : p.getStatus().getConditions(), ConditionTypes.VALID)
                    .filter(c -> Conditions.FALSE.equals(c.getStatus()))
                    .ifPresent(c -> out.println("\n" + p.getMetadata().getName() + ": Valid=False " + c.getReason() + ": " + c.getMessage()));
        }
    }

    /** kubectl get prints in name order. */
    static <T extends HasMetadata> List<T> byName(List<T> resources) {
        return resources.stream().sorted(Comparator.comparing((T r) -> r.getMetadata().getName())).toList();
    }

    private static String readyOf(List<io.fabric8.kubernetes.api.model.Condition> conditions) {
        return Conditions.find(conditions, ConditionTypes.READY).map(c -> c.getStatus()).orElse("");
    }

    private static String age(HasMetadata resource) {
        long seconds = Duration.between(Instant.parse(resource.getMetadata().getCreationTimestamp()), Instant.now()).toSeconds();
        return Math.max(seconds, 0) + "s";
    }

    private static String config(KubernetesClient admin, String peer) {
        Secret secret = admin.secrets().inNamespace(NS).withName(Labels.peerConfigSecretName(peer)).get();
        return new String(Base64.getDecoder().decode(secret.getData().get(Labels.CONFIG)), StandardCharsets.UTF_8);
    }

    private static boolean rendered(KubernetesClient admin, String name) {
        VpnPeer peer = admin.resources(VpnPeer.class).inNamespace(NS).withName(name).get();
        return peer != null && peer.getStatus() != null
                && Conditions.isTrue(peer.getStatus().getConditions(), ConditionTypes.CONFIG_RENDERED);
    }

    private static boolean ready(KubernetesClient admin, String name) {
        VpnPeer peer = admin.resources(VpnPeer.class).inNamespace(NS).withName(name).get();
        return peer != null && peer.getStatus() != null && Conditions.isTrue(peer.getStatus().getConditions(), ConditionTypes.READY);
    }

    private static void await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the demo did not reach the expected state within " + timeout);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private void step(String message) {
        out.println("\n==> " + message);
    }

    @Override
    public synchronized void close() {
        try {
            closer.close();
        } catch (RuntimeException e) {
            out.println("cleanup: " + e.getMessage());
        } finally {
            if (cluster != null) {
                cluster.close();
                cluster = null;
            }
        }
    }
}
