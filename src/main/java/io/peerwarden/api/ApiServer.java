package io.peerwarden.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The HTTP(S) server of {@code peerwarden api}: the JDK's own server on a bounded thread pool (a full queue makes the
 * accepting thread run the request itself, so the server stops accepting instead of queueing without bound), request
 * bodies bounded ({@link #readBody}: larger is 413), the JDK server's read and response time-outs set
 * ({@code sun.net.httpserver.maxReqTime}/{@code maxRspTime}, seconds, unless already set). Handlers are mounted by
 * path prefix ({@link #mount}); an exception a handler lets escape is a 500 without internals, logged by class only.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param bindAddress address to listen on, or null for all
     * @param port        0: any free one
     * @param threads     requests handled at once
     * @param queue       requests waiting for a thread before the server stops accepting
     * @param maxBody     largest request body in bytes
     * @param tls         null: plain HTTP (reach it through a TLS-terminating ingress or a port-forward)
     */
    public record Settings(String bindAddress, int port, int threads, int queue, int maxBody, SSLContext tls) {
        public static final int DEFAULT_MAX_BODY = 64 * 1024;
    }

    static {
        // read by the JDK server when its first instance is made: a client that sends its request slowly or reads
        // the answer slowly holds a connection for at most this long
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "30"));
        System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime", "60"));
    }

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final int maxBody;

    public ApiServer(Settings settings) {
        this.maxBody = settings.maxBody();
        InetSocketAddress address = settings.bindAddress() == null ? new InetSocketAddress(settings.port())
                : new InetSocketAddress(settings.bindAddress(), settings.port());
        try {
            if (settings.tls() != null) {
                HttpsServer https = HttpsServer.create(address, 64);
                https.setHttpsConfigurator(new HttpsConfigurator(settings.tls()));
                server = https;
            } else {
                server = HttpServer.create(address, 64);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + settings.port(), e);
        }
        AtomicInteger count = new AtomicInteger();
        executor = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.queue()), r -> {
                    Thread thread = new Thread(r, "api-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(executor);
    }

    /** Serves every path under {@code pathPrefix} with the handler (e.g. the share links' {@code /config/}). */
    public ApiServer mount(String pathPrefix, HttpHandler handler) {
        return mount(pathPrefix, handler, () -> Answers.altostratError(500, io.peerwarden.api.v1alpha1.Reasons.INTERNAL_ERROR, "internal error; the API's log has the details"));
    }

    /** As {@link #mount(String, HttpHandler)}, answering an escaped exception with {@code internalError}'s body (500). */
    public ApiServer mount(String pathPrefix, HttpHandler handler, Supplier<Object> internalError) {
        server.createContext(pathPrefix, exchange -> guarded(exchange, handler, internalError));
        return this;
    }

    public ApiServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public int maxBody() {
        return maxBody;
    }

    private static void guarded(HttpExchange exchange, HttpHandler handler, Supplier<Object> internalError) {
        try {
            handler.handle(exchange);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), exchange.getHttpContext().getPath(), e.getClass().getName());
            try {
                sendJson(exchange, 500, internalError.get());
            } catch (IOException | RuntimeException ignored) {
                // the answer was already started or the client went away
            }
        } finally {
            exchange.close();
        }
    }

    /** The request body, or null when it is larger than {@code max} bytes. */
    static byte[] readBody(HttpExchange exchange, int max) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(max + 1);
            return body.length > max ? null : body;
        }
    }

    static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        send(exchange, status, "application/json", bytes);
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
