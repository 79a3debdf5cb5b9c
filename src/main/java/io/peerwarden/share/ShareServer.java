package io.peerwarden.share;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.core.share.FailedLookupLimiter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The share links served on their own by the JDK's HTTP server (the API server mounts the same
 * {@link ShareHandler} at {@link ShareHandler#PREFIX}): for tests and for a deployment without the API.
 * A small fixed pool of threads, so a burst of visits queues instead of growing threads.
 */
public final class ShareServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private ShareServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Serves {@code handler} at {@link ShareHandler#PREFIX} on {@code address} (port 0: any free port). */
    public static ShareServer start(InetSocketAddress address, ShareHandler handler) {
        try {
            HttpServer server = HttpServer.create(address, 64);
            ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
                Thread t = new Thread(r, "share-http");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.createContext(ShareHandler.PREFIX, handler);
            server.start();
            return new ShareServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
    }

    /** Serves the cluster's share links with the given client (get and delete on Secrets of the peers' namespaces). */
    public static ShareServer start(InetSocketAddress address, KubernetesClient client, Clock clock) {
        return start(address, new ShareHandler(new KubeShareStore(client), FailedLookupLimiter.defaults(clock), clock));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>}: what the share command's {@code --base-url} is for this server. */
    public String baseUrl() {
        String host = server.getAddress().getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
