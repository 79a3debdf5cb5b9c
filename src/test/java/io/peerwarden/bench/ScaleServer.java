package io.peerwarden.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.testing.MockCluster;
import io.peerwarden.testing.RealCluster;
import io.peerwarden.testing.RecordingDispatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The API server an {@link OperatorScale} run talks to: fabric8's CRUD mock (in this JVM, every
 * request recorded, so writes are counted by the server) or the shared real kube-apiserver + etcd
 * (writes counted by the operator's own {@code peerwarden_api_writes_total}).
 */
abstract class ScaleServer implements AutoCloseable {

    static final String NODE = "worker-1";

    /** "mock" or "real": the suffix of the benchmark ids. */
    abstract String label();

    abstract KubernetesClient admin();

    /** The client of the baseline loop (its own user agent where the server records them). */
    abstract KubernetesClient bareClient();

    /** A kubeconfig naming this server, for the operator process. */
    abstract Path kubeconfig();

    /** A new namespace, created where the server needs namespaces to exist. */
    abstract String namespace(String prefix);

    /** Deletes a namespace without waiting for it to go (its contents were deleted already where it mattered). */
    abstract void dropNamespace(String name);

    /** A mark for {@link #operatorWritesSince}, or -1 where the server does not record requests. */
    int mark() {
        return -1;
    }

    /** The writes the operator process sent since {@code mark}, as the server saw them; null where it records none. */
    List<RecordingDispatcher.Call> operatorWritesSince(int mark) {
        return null;
    }

    static ScaleServer mock() {
        return new Mock();
    }

    /** Skips (fails under CI=true) where the real control plane cannot run. */
    static ScaleServer real() {
        return new Real(RealCluster.shared());
    }

    private static final class Mock extends ScaleServer {
        private final MockCluster cluster = new MockCluster(NODE);
        private final KubernetesClient bare = cluster.client("peerwarden-bench-bare");
        private final Path kubeconfig;

        Mock() {
            try {
                kubeconfig = Files.createTempFile("peerwarden-bench-mock-", ".kubeconfig");
                String server = cluster.admin().getMasterUrl().toString().replaceAll("/$", "");
                Files.writeString(kubeconfig, String.join("\n",
                        "apiVersion: v1", "kind: Config",
                        "clusters:", "- name: mock", "  cluster: {server: \"" + server + "\"}",
                        "contexts:", "- name: mock", "  context: {cluster: mock, user: bench, namespace: default}",
                        "current-context: mock",
                        "users:", "- name: bench", "  user: {token: mock-token}", ""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        String label() {
            return "mock";
        }

        @Override
        KubernetesClient admin() {
            return cluster.admin();
        }

        @Override
        KubernetesClient bareClient() {
            return bare;
        }

        @Override
        Path kubeconfig() {
            return kubeconfig;
        }

        @Override
        String namespace(String prefix) {
            return prefix; // the CRUD mock stores objects in any namespace
        }

        @Override
        void dropNamespace(String name) {
        }

        @Override
        int mark() {
            return cluster.requests().size();
        }

        @Override
        List<RecordingDispatcher.Call> operatorWritesSince(int mark) {
            return cluster.requests().since(mark).stream()
                    .filter(c -> c.isWrite() && c.userAgent() != null && c.userAgent().startsWith(OperatorProcess.USER_AGENT)).toList();
        }

        @Override
        public void close() {
            bare.close();
            cluster.close();
            try {
                Files.deleteIfExists(kubeconfig);
            } catch (IOException e) {
                // a temp file left behind
            }
        }
    }

    private static final class Real extends ScaleServer {
        private final RealCluster cluster;
        private final KubernetesClient bare;

        Real(RealCluster cluster) {
            this.cluster = cluster;
            cluster.ensureNode(NODE, Map.of("kubernetes.io/hostname", NODE), Map.of("InternalIP", "192.0.2.10"));
            bare = cluster.withUserAgent("peerwarden-bench-bare");
        }

        @Override
        String label() {
            return "real";
        }

        @Override
        KubernetesClient admin() {
            return cluster.admin();
        }

        @Override
        KubernetesClient bareClient() {
            return bare;
        }

        @Override
        Path kubeconfig() {
            return cluster.kubeconfig();
        }

        @Override
        String namespace(String prefix) {
            return cluster.createNamespace(prefix);
        }

        @Override
        void dropNamespace(String name) {
            cluster.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).delete();
        }

        @Override
        public void close() {
            bare.close(); // the shared cluster stops with the JVM
        }
    }
}
