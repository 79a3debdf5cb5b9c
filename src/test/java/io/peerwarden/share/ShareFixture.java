package io.peerwarden.share;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.cli.UserError;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.render.QrCodes;
import io.peerwarden.core.share.FailedLookupLimiter;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.RealCluster;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A namespace on the real API server with the rights docs/security.md describes: a user {@value #MINTER}
 * who may read VpnPeers and create, list and delete Secrets there (so may mint and revoke), a user
 * {@value #READER} who may only read VpnPeers, and the share server running as the ServiceAccount
 * {@value #SERVER_SA} with get and delete on Secrets and nothing else. Peers get a config Secret as the
 * operator would write it (a demo config with fresh keys, its QR code, the peer's UID).
 */
final class ShareFixture implements AutoCloseable {

    static final String MINTER = "share-minter";
    static final String READER = "share-reader";
    static final String SERVER_SA = "share-server";

    final Closer closer = new Closer();
    final RealCluster cluster;
    final KubernetesClient admin;
    final String namespace;
    final io.peerwarden.testing.TestClock clock = io.peerwarden.testing.TestClock.systemTime();
    final ShareServer server;
    final KubernetesClient minter;
    final KubernetesClient reader;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

    ShareFixture(String prefix, FailedLookupLimiter limiter) {
        cluster = RealCluster.shared();
        admin = cluster.admin();
        namespace = cluster.createNamespace(prefix);
        closer.add(() -> cluster.deleteNamespace(namespace));
        role("share-minter", List.of(rule("vpn.peerwarden.io", "vpnpeers", "get"), rule("", "secrets", "create", "list", "delete")),
                "User", MINTER);
        role("share-reader", List.of(rule("vpn.peerwarden.io", "vpnpeers", "get")), "User", READER);
        role("share-server", List.of(rule("", "secrets", "get", "delete")), "ServiceAccount", SERVER_SA);
        minter = closer.add(cluster.as(MINTER));
        reader = closer.add(cluster.as(READER));
        KubernetesClient serverClient = closer.add(cluster.asServiceAccount(namespace, SERVER_SA));
        server = closer.add(ShareServer.start(new InetSocketAddress("127.0.0.1", 0),
                new ShareHandler(new KubeShareStore(serverClient), limiter, clock)));
    }

    private static io.fabric8.kubernetes.api.model.rbac.PolicyRule rule(String group, String resource, String... verbs) {
        return new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verbs).build();
    }

    private void role(String name, List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules, String kind, String subject) {
        admin.rbac().roles().inNamespace(namespace).resource(new RoleBuilder().withNewMetadata().withName(name).endMetadata()
                .withRules(rules).build()).create();
        admin.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
                .withSubjects(new SubjectBuilder().withKind(kind).withName(subject)
                        .withNamespace(kind.equals("ServiceAccount") ? namespace : null)
                        .withApiGroup(kind.equals("ServiceAccount") ? null : "rbac.authorization.k8s.io").build())
                .build()).create();
    }

    /** A VpnPeer and its rendered config Secret (as the operator writes it); returns the config. */
    String peer(String name) {
        VpnPeer peer = new VpnPeer();
        peer.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        VpnPeerSpec spec = new VpnPeerSpec();
        spec.setInstanceRef(new InstanceRef("office"));
        spec.setType("client");
        peer.setSpec(spec);
        VpnPeer created = admin.resources(VpnPeer.class).inNamespace(namespace).resource(peer).create();
        String config = demoConfig();
        writeConfigSecret(name, created.getMetadata().getUid(), config);
        return config;
    }

    void writeConfigSecret(String peerName, String uid, String config) {
        admin.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
                .withName(Labels.peerConfigSecretName(peerName))
                .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.COMPONENT, Labels.COMPONENT_PEER_CONFIG,
                        Labels.PEER, peerName))
                .withAnnotations(Map.of(Labels.PEER_UID_ANNOTATION, uid)).endMetadata()
                .addToData(Labels.CONFIG, b64(config.getBytes(StandardCharsets.UTF_8)))
                .addToData(Labels.CONFIG_QR, b64(QrCodes.png(config))).build()).createOr(e -> e.update());
    }

    /** A client config of the demo instance with fresh keys (of no cluster). */
    static String demoConfig() {
        String privateKey = WireGuardKeys.generatePrivateKey();
        String serverKey = WireGuardKeys.publicKeyOf(WireGuardKeys.generatePrivateKey());
        return "[Interface]\nPrivateKey = " + privateKey + "\nAddress = 10.24.0.2/32, fd00:24::2/128\nDNS = 10.24.0.1\nMTU = 1420\n\n"
                + "[Peer]\nPublicKey = " + serverKey + "\nPresharedKey = " + WireGuardKeys.generatePresharedKey()
                + "\nAllowedIPs = 10.24.0.0/24, fd00:24::/64\nEndpoint = vpn.example.com:51830\nPersistentKeepalive = 25\n";
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** What {@code peerwarden share ...} printed and returned, run as the given user. */
    record Run(int exitCode, String out, String err) {
    }

    Run share(KubernetesClient as, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine line = new CommandLine(new ShareCommand(as, null, new PrintStream(out, true, StandardCharsets.UTF_8), errStream));
        // as Main.commandLine() answers a UserError
        line.setExecutionExceptionHandler((e, l, parsed) -> {
            if (e instanceof UserError) {
                errStream.println("peerwarden share: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        int code = line.execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8).strip(), err.toString(StandardCharsets.UTF_8).strip());
    }

    /** Mints a link to {@code peer} as the minter with the given extra arguments; returns its URL. */
    String mint(String peer, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(peer, "-n", namespace, "--base-url", server.baseUrl()));
        args.addAll(List.of(extra));
        Run run = share(minter, args.toArray(String[]::new));
        if (run.exitCode() != 0) {
            throw new AssertionError("share failed: " + run);
        }
        return run.out();
    }

    HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The status code of a GET sent over a plain socket: unlike the JDK's HTTP clients, which log request URLs at
     * debug level, the visitor itself logs nothing, so what a log capture sees is the server's.
     */
    int statusOverSocket(String url) {
        URI uri = URI.create(url);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return Integer.parseInt(answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closer.close();
    }
}
