package io.peerwarden.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A faulty network between a client (the operator, the agent) and an API server (the CRUD mock or
 * a real kube-apiserver), for the reliability tests. Two parts:
 * <ul>
 *   <li>a client {@link Interceptor} that, while faults are on, sends a seeded share of requests to a
 *   local fault responder instead of the API server: 409 Conflict, 429 Too Many Requests with
 *   {@code Retry-After}, 500, a hang longer than the client's request timeout, and "lost responses"
 *   (the write is applied on the API server first, then the client sees a 500, as when a connection
 *   dies after the server committed); watch requests are refused with 500;</li>
 *   <li>a TCP proxy every client connection goes through, whose open connections (watches among them)
 *   are dropped at seeded intervals while faults are on.</li>
 * </ul>
 * Every fault is counted by kind ({@link #injected()}). {@link #cutOff} stops every request of the
 * client from reaching the server from some point on: the API server's view of a process killed there.
 */
public final class FaultyApi implements AutoCloseable {

    public enum Fault { CONFLICT_409, TOO_MANY_REQUESTS_429, SERVER_ERROR_500, TIMEOUT, LOST_RESPONSE, WATCH_REFUSED, CONNECTION_DROPPED }

    /** The client's request timeout: a hang is longer, so the client's own timeout fires. */
    public static final int REQUEST_TIMEOUT_MILLIS = 2_000;
    private static final int HANG_MILLIS = REQUEST_TIMEOUT_MILLIS + 1_500;
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final URI target;
    private final HttpClient forwarder;
    private final Random random;
    private final double share;
    private final Map<Fault, AtomicLong> counts = new EnumMap<>(Fault.class);
    private final HttpServer responder;
    private final ExecutorService responderThreads = Executors.newCachedThreadPool(daemon("fault-responder"));
    private final TcpProxy proxy;
    private final ScheduledExecutorService dropper = Executors.newSingleThreadScheduledExecutor(daemon("fault-dropper"));
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean faults;
    private volatile Predicate<HttpRequest> cutOffWhen;
    private volatile boolean cut;

    /**
     * @param target    the API server's URL
     * @param forwarder an HTTP client with the credentials to write to {@code target} (the admin client's):
     *                  it applies the writes whose response is then "lost"
     * @param seed      seeds which requests are faulted, with which fault, and when connections drop
     * @param share     the share of requests faulted while faults are on (0..1)
     */
    public FaultyApi(URI target, HttpClient forwarder, long seed, double share) throws IOException {
        this.target = target;
        this.forwarder = forwarder;
        this.random = new Random(seed);
        this.share = share;
        for (Fault fault : Fault.values()) {
            counts.put(fault, new AtomicLong());
        }
        responder = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        responder.createContext("/", this::respond);
        responder.setExecutor(responderThreads);
        responder.start();
        proxy = new TcpProxy(target.getHost(), target.getPort());
        scheduleDrop();
    }

    /** A fabric8 client configured as {@code base} but reaching the API server through the faulty network. */
    public KubernetesClient client(Config base, String userAgent) {
        Config config = new io.fabric8.kubernetes.client.ConfigBuilder(base)
                .withMasterUrl(target.getScheme() + "://" + target.getHost() + ":" + proxy.port())
                .withUserAgent(userAgent)
                .withRequestTimeout(REQUEST_TIMEOUT_MILLIS)
                // the client's own retries off: every fault reaches the operator's or the agent's code
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(http -> http.addOrReplaceInterceptor("faulty-api", new Faults()))
                .build();
    }

    public void faults(boolean on) {
        faults = on;
    }

    /**
     * From the first request matching {@code trigger} on, including it, nothing reaches the API server
     * any more (each request gets a 500 from the responder): the client is, for the server, dead.
     */
    public void cutOff(Predicate<HttpRequest> trigger) {
        cutOffWhen = trigger;
    }

    public boolean isCut() {
        return cut;
    }

    /** Faults injected so far, by kind (cut-off requests are not faults and are not counted). */
    public Map<Fault, Long> injected() {
        Map<Fault, Long> result = new EnumMap<>(Fault.class);
        counts.forEach((k, v) -> result.put(k, v.get()));
        return result;
    }

    public long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Requests the clients sent (faulted or not). */
    public long requests() {
        return requests.get();
    }

    private final class Faults implements Interceptor {
        @Override
        public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            requests.incrementAndGet();
            Predicate<HttpRequest> trigger = cutOffWhen;
            if (cut || (trigger != null && trigger.test(request))) {
                cut = true;
                redirect(builder, request, "dead");
                return;
            }
            if (!faults) {
                return;
            }
            Fault fault = pick(request);
            if (fault == null) {
                return;
            }
            counts.get(fault).incrementAndGet();
            switch (fault) {
                case CONFLICT_409 -> redirect(builder, request, "409");
                case TOO_MANY_REQUESTS_429 -> redirect(builder, request, "429");
                case SERVER_ERROR_500, WATCH_REFUSED -> redirect(builder, request, "500");
                case TIMEOUT -> redirect(builder, request, "hang");
                case LOST_RESPONSE -> {
                    forward(request);
                    redirect(builder, request, "500");
                }
                default -> throw new IllegalStateException(fault.toString());
            }
        }
    }

    private Fault pick(HttpRequest request) {
        String query = request.uri().getRawQuery();
        boolean watch = query != null && query.contains("watch=true");
        synchronized (random) {
            if (random.nextDouble() >= share) {
                return null;
            }
            if (watch) {
                return Fault.WATCH_REFUSED;
            }
            boolean write = WRITES.contains(request.method());
            int kinds = write ? 5 : 4;
            return switch (random.nextInt(kinds)) {
                case 0 -> Fault.CONFLICT_409;
                case 1 -> Fault.TOO_MANY_REQUESTS_429;
                case 2 -> Fault.SERVER_ERROR_500;
                case 3 -> Fault.TIMEOUT;
                default -> Fault.LOST_RESPONSE;
            };
        }
    }

    private void redirect(BasicBuilder builder, HttpRequest request, String kind) {
        URI original = request.uri();
        builder.uri(URI.create("http://" + responder.getAddress().getHostString() + ":" + responder.getAddress().getPort()
                + "/" + kind + original.getRawPath() + (original.getRawQuery() == null ? "" : "?" + original.getRawQuery())));
    }

    /** Applies the request on the API server (through the credentialed forwarder), ignoring its answer. */
    private void forward(HttpRequest request) {
        String contentType = request.header("Content-Type");
        String body = request.bodyString();
        URI uri = URI.create(target.getScheme() + "://" + target.getHost() + ":" + target.getPort() + request.uri().getRawPath()
                + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery()));
        HttpRequest.Builder copy = forwarder.newHttpRequestBuilder().uri(uri);
        copy.method(request.method(), contentType == null ? "application/json" : contentType, body == null ? "" : body);
        try {
            forwarder.sendAsync(copy.build(), String.class).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the server did or did not apply it: either way the client sees a failure, as in life
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        String kind = exchange.getRequestURI().getPath().split("/")[1];
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            switch (kind) {
                case "409" -> status(exchange, 409, "Conflict", "injected conflict: the object has been modified");
                case "429" -> {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    status(exchange, 429, "TooManyRequests", "injected: too many requests, retry after 1s");
                }
                case "hang" -> {
                    sleep(HANG_MILLIS);
                    status(exchange, 504, "Timeout", "injected: too late, the client gave up before");
                }
                default -> status(exchange, 500, "InternalError", "injected: internal error");
            }
        }
    }

    private static void status(HttpExchange exchange, int code, String reason, String message) throws IOException {
        byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"" + message
                + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void scheduleDrop() {
        long delay;
        synchronized (random) {
            delay = 1_000 + random.nextInt(3_000);
        }
        dropper.schedule(() -> {
            if (faults) {
                counts.get(Fault.CONNECTION_DROPPED).addAndGet(proxy.dropAll());
            }
            scheduleDrop();
        }, delay, TimeUnit.MILLISECONDS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        dropper.shutdownNow();
        proxy.close();
        responder.stop(0);
        responderThreads.shutdownNow();
    }

    /** Forwards TCP connections on a loopback port to the API server; can drop every open connection. */
    static final class TcpProxy implements AutoCloseable {
        private final ServerSocket server;
        private final String host;
        private final int port;
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private final ExecutorService pumps = Executors.newCachedThreadPool(daemon("fault-proxy"));

        TcpProxy(String host, int port) throws IOException {
            this.host = host;
            this.port = port;
            server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
            pumps.submit(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(host, port);
                    open.add(client);
                    open.add(upstream);
                    pumps.submit(() -> pump(client, upstream));
                    pumps.submit(() -> pump(upstream, client));
                } catch (IOException e) {
                    // closed, or the upstream refused: the client sees a reset
                }
            }
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // dropped or closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

        /** Resets every open connection; returns how many client connections were dropped. */
        int dropAll() {
            int dropped = 0;
            for (Socket socket : Set.copyOf(open)) {
                if (socket.getPort() != port) {
                    dropped++;
                }
                closeQuietly(socket);
            }
            return dropped;
        }

        private void closeQuietly(Socket socket) {
            open.remove(socket);
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // nothing left to do
            }
            dropAll();
            pumps.shutdownNow();
        }
    }
}
