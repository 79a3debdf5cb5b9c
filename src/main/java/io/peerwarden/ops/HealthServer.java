package io.peerwarden.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * /healthz, /readyz and (for the operator) /metrics on one port, served by the JDK's own HTTP server: no web
 * framework for three tiny endpoints.
 */
public final class HealthServer implements AutoCloseable {

    private final HttpServer server;

    public HealthServer(int port, BooleanSupplier alive, BooleanSupplier ready, Supplier<String> metrics) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/healthz", exchange -> respond(exchange, alive.getAsBoolean(), "ok", "not alive"));
        server.createContext("/readyz", exchange -> respond(exchange, ready.getAsBoolean(), "ready", "not ready"));
        if (metrics != null) {
            server.createContext("/metrics", exchange -> {
                byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                send(exchange, 200, body);
            });
        }
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "health-server");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, boolean ok, String okText, String failText) throws IOException {
        send(exchange, ok ? 200 : 503, ((ok ? okText : failText) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int code, byte[] body) throws IOException {
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
