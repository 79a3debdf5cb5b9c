package io.peerwarden.api;

import com.sun.net.httpserver.HttpExchange;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.core.seedapi.SeedErrors;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code peerwarden api}: the seeds' REST APIs over the CRDs on one {@link ApiServer}: Altostrat
 * ({@code /vpn/instances/...}), WGDashboard ({@code /api/updatePeerSettings/...}), the OpenAPI document
 * ({@code /openapi.json}) and probes ({@code /healthz}, {@code /readyz}). It reads from informer caches and writes
 * only as the caller; its ServiceAccount creates TokenReviews and SubjectAccessReviews and reads VpnInstances and
 * VpnPeers, nothing else.
 */
public final class SeedApi implements AutoCloseable {

    public static final String OPENAPI_PATH = "/openapi.json";

    /**
     * fabric8's HTTP logger writes each request's headers and body at TRACE, so callers' bearer tokens (the
     * {@code Authorization} header of every call made as the caller, the body of each TokenReview): held at INFO
     * (Logback keeps the level set here), so a trace log level ({@code peerwarden.log.level}) never writes them.
     */
    static final org.slf4j.Logger FABRIC8_HTTP_LOG =
            org.slf4j.LoggerFactory.getLogger("io.fabric8.kubernetes.client.http.HttpLoggingInterceptor");

    static {
        if (FABRIC8_HTTP_LOG instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }

    /**
     * @param server      where and how to listen
     * @param tokenCache  how long a TokenReview answer is reused
     * @param settle      how long a write waits for the operator's verdict on the new generation
     * @param apiTimeout  time-out of each call to the API server
     * @param docBase     the URL of docs/api.md, which has a section per error code ({@code doc_url})
     */
    public record Settings(ApiServer.Settings server, Duration tokenCache, int tokenCacheSize, Duration settle,
                           Duration apiTimeout, String docBase) {

        public static Settings defaults(int port, SSLContext tls) {
            return new Settings(new ApiServer.Settings(null, port, 8, 64, ApiServer.Settings.DEFAULT_MAX_BODY, tls),
                    Duration.ofSeconds(10), 1024, Duration.ofSeconds(3), Duration.ofSeconds(10), Answers.DEFAULT_DOC_BASE);
        }

        public Settings withSettle(Duration settle) {
            return new Settings(server, tokenCache, tokenCacheSize, settle, apiTimeout, docBase);
        }
    }

    private final PeerDirectory directory;
    private final ApiServer server;
    private final TokenAuthenticator authenticator;

    private SeedApi(PeerDirectory directory, ApiServer server, TokenAuthenticator authenticator) {
        this.directory = directory;
        this.server = server;
        this.authenticator = authenticator;
    }

    /** Lists and watches the CRDs, then serves. {@code client} is the API's ServiceAccount. */
    public static SeedApi start(KubernetesClient client, Settings settings, ConfigTokens tokens) {
        return start(client, settings, tokens, java.util.Map.of());
    }

    /**
     * As {@link #start(KubernetesClient, Settings, ConfigTokens)}, with more handlers by path prefix (the share links'
     * {@code /config/}) mounted before the server accepts its first request.
     */
    public static SeedApi start(KubernetesClient client, Settings settings, ConfigTokens tokens,
                                java.util.Map<String, com.sun.net.httpserver.HttpHandler> more) {
        PeerDirectory directory = new PeerDirectory(client);
        directory.start(Duration.ofMinutes(2));
        TokenAuthenticator authenticator = new TokenAuthenticator(client, Clock.systemUTC(), settings.tokenCache(), settings.tokenCacheSize());
        PeerService peers = new PeerService(directory, new AccessReviews(client),
                new CallerWrites(client.getConfiguration(), settings.apiTimeout()), settings.settle());
        int maxBody = settings.server().maxBody();
        byte[] openApi = openApiDocument();
        ApiServer server = new ApiServer(settings.server())
                .mount(AltostratHandler.PREFIX, new AltostratHandler(authenticator, directory, peers,
                        Objects.requireNonNull(tokens), settings.docBase(), maxBody))
                .mount(WgDashboardHandler.PREFIX, new WgDashboardHandler(authenticator, directory, peers, maxBody),
                        () -> Answers.wgDashboard(null, "Internal error; the API's log has the details", false))
                .mount(OPENAPI_PATH, exchange -> exact(exchange, OPENAPI_PATH, openApi, "application/json"))
                .mount("/healthz", exchange -> exact(exchange, "/healthz", "ok\n".getBytes(StandardCharsets.UTF_8), "text/plain"))
                .mount("/readyz", exchange -> {
                    if (directory.synced()) {
                        exact(exchange, "/readyz", "ok\n".getBytes(StandardCharsets.UTF_8), "text/plain");
                    } else {
                        ApiServer.send(exchange, 503, "text/plain", "caches not synced\n".getBytes(StandardCharsets.UTF_8));
                    }
                })
                .mount("/", exchange -> ApiServer.sendJson(exchange, 404,
                        Answers.altostratError(settings.docBase(), 404, SeedErrors.NOT_FOUND, "no such path; see /openapi.json")));
        more.forEach(server::mount);
        return new SeedApi(directory, server.start(), authenticator);
    }

    private static void exact(HttpExchange exchange, String path, byte[] body, String type) throws IOException {
        if (!exchange.getRequestURI().getPath().equals(path)) {
            ApiServer.sendJson(exchange, 404, Answers.altostratError(404, SeedErrors.NOT_FOUND, "no such path; see /openapi.json"));
        } else if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            ApiServer.sendJson(exchange, 405, Answers.altostratError(405, SeedErrors.METHOD_NOT_ALLOWED, "use GET"));
        } else {
            ApiServer.send(exchange, 200, type, body);
        }
    }

    /** The OpenAPI 3 document served at /openapi.json: src/main/resources/openapi.json. */
    public static byte[] openApiDocument() {
        try (InputStream in = SeedApi.class.getResourceAsStream(OPENAPI_PATH)) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.port();
    }

    /** TokenReviews sent so far (tests: the cache answers repeated tokens). */
    public long tokenReviews() {
        return authenticator.reviews();
    }

    @Override
    public void close() {
        server.close();
        directory.close();
    }
}
