package io.peerwarden.testing;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An API server for tests: fabric8's mock in CRUD mode with the generated CRDs installed (the
 * status subresource only works after that) and a few nodes. Every request is recorded.
 */
public final class MockCluster implements AutoCloseable {

    public static final Path GENERATED_CRDS = Path.of("target", "classes", "META-INF", "fabric8");

    private final KubernetesMockServer server;
    private final RecordingDispatcher dispatcher = new RecordingDispatcher();
    private final NamespacedKubernetesClient adminClient;

    public MockCluster(String... nodeNames) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        adminClient = client("test-admin");
        installCrds();
        for (String node : nodeNames) {
            addNode(node, Map.of("kubernetes.io/hostname", node));
        }
    }

    /** A client whose requests carry the given user agent, so recorded calls can be attributed. */
    public NamespacedKubernetesClient client(String userAgent) {
        return server.createClient(builder -> builder.editOrNewConfig().withUserAgent(userAgent).endConfig());
    }

    /** The same, with more of the client's setup (e.g. its thread pools). */
    public NamespacedKubernetesClient client(String userAgent, java.util.function.Consumer<io.fabric8.kubernetes.client.KubernetesClientBuilder> more) {
        return server.createClient(builder -> {
            builder.editOrNewConfig().withUserAgent(userAgent).endConfig();
            more.accept(builder);
        });
    }

    public NamespacedKubernetesClient admin() {
        return adminClient;
    }

    public RecordingDispatcher requests() {
        return dispatcher;
    }

    public void addNode(String name, Map<String, String> labels) {
        adminClient.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
                .create();
    }

    private void installCrds() {
        for (String file : new String[] {"vpninstances.vpn.peerwarden.io-v1.yml", "vpnpeers.vpn.peerwarden.io-v1.yml"}) {
            try (InputStream in = Files.newInputStream(GENERATED_CRDS.resolve(file))) {
                adminClient.apiextensions().v1().customResourceDefinitions().load(in).create();
            } catch (IOException e) {
                throw new UncheckedIOException("generated CRD missing (run the build first): " + file, e);
            }
        }
    }

    @Override
    public void close() {
        adminClient.close();
        server.destroy();
    }
}
