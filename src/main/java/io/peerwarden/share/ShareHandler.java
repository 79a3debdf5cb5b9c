package io.peerwarden.share;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.peerwarden.core.share.FailedLookupLimiter;
import io.peerwarden.core.share.SharePage;
import io.peerwarden.core.share.ShareToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code GET /config/<token>}: the page with the peer's QR code and a download of its config;
 * {@code GET /config/<token>/wg0.conf}: the file itself (for {@code curl}). Either one spends the token:
 * the record is deleted under its resourceVersion before anything is sent, so of concurrent visits
 * exactly one gets the config. Every link that does not work gets the same 404 page; a client with too
 * many of those gets 429 until its {@link FailedLookupLimiter} bucket refills. Only GET is answered,
 * and only after the token is parsed is anything looked up.
 *
 * <p>Mount it at {@value #PREFIX}. Logs name a token by {@link ShareToken#logId()} only; request paths
 * (which hold tokens) are never logged.
 */
public final class ShareHandler implements HttpHandler {

    public static final String PREFIX = "/config/";
    static final String RAW_SUFFIX = "/" + SharePage.FILE_NAME;
    private static final Logger LOG = LoggerFactory.getLogger(ShareHandler.class);
    /**
     * The JDK's HTTP server logs each request line (so each token) at debug level ({@code FINE}) through
     * {@code System.Logger}, i.e. java.util.logging: held here at INFO (a strong reference, JUL keeps loggers
     * weakly), so turning on debug logging never writes tokens. Its INFO and WARNING lines carry no request line.
     */
    static final java.util.logging.Logger JDK_SERVER_LOG = java.util.logging.Logger.getLogger("com.sun.net.httpserver");

    static {
        JDK_SERVER_LOG.setLevel(java.util.logging.Level.INFO);
    }

    private final ShareStore store;
    private final FailedLookupLimiter limiter;
    private final Clock clock;

    public ShareHandler(ShareStore store, FailedLookupLimiter limiter, Clock clock) {
        this.store = store;
        this.limiter = limiter;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readNBytes(1024);
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, new SharePage.Page(405, SharePage.TEXT, "Only GET is answered here.\n"));
                return;
            }
            send(exchange, answer(exchange.getRequestURI().getRawPath(), exchange.getRemoteAddress().getAddress(), exchange));
        }
    }

    private SharePage.Page answer(String path, InetAddress client, HttpExchange exchange) {
        Optional<Duration> wait = limiter.blocked(client);
        if (wait.isPresent()) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, wait.get().toSeconds() + 1)));
            return SharePage.tooManyRequests();
        }
        String rest = path != null && path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        boolean raw = rest.endsWith(RAW_SUFFIX);
        Optional<ShareToken> parsed = ShareToken.parse(raw ? rest.substring(0, rest.length() - RAW_SUFFIX.length()) : rest);
        if (parsed.isEmpty()) {
            return failed(client, "malformed", null);
        }
        ShareToken token = parsed.get();
        try {
            Optional<ShareStore.Stored> stored = store.find(token);
            if (stored.isEmpty() || !stored.get().grant().admits(token, clock.instant())) {
                return failed(client, stored.isEmpty() ? "unknown or spent" : "expired or not matching", token);
            }
            Optional<ShareStore.PeerConfig> config = store.config(stored.get().grant());
            if (config.isEmpty()) {
                // a valid link to a peer whose config is not rendered (yet): nothing spent, same page
                LOG.info("share link {} of {}/{}: the peer has no rendered config; the link stays valid", token.logId(),
                        token.namespace(), stored.get().grant().peerName());
                return SharePage.notFound();
            }
            if (!store.spend(stored.get())) {
                return failed(client, "spent by a concurrent visit", token);
            }
            LOG.info("share link {} of {}/{} spent{}", token.logId(), token.namespace(), stored.get().grant().peerName(),
                    raw ? " (raw file)" : "");
            return raw ? SharePage.raw(config.get().config())
                    : SharePage.config(stored.get().grant().peerName(), config.get().config(), config.get().qrPng());
        } catch (RuntimeException e) {
            LOG.warn("share link {}: the cluster could not be asked ({}); nothing was spent", token.logId(), e.getClass().getSimpleName());
            return SharePage.unavailable();
        }
    }

    private SharePage.Page failed(InetAddress client, String why, ShareToken token) {
        limiter.failed(client);
        LOG.debug("share link {}: {}", token == null ? "-" : token.logId(), why);
        return SharePage.notFound();
    }

    private static void send(HttpExchange exchange, SharePage.Page page) throws IOException {
        SharePage.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.getResponseHeaders().set("Content-Type", page.contentType());
        if (page.status() == 200 && SharePage.TEXT.equals(page.contentType())) {
            exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + SharePage.FILE_NAME + "\"");
        }
        byte[] body = page.bytes();
        exchange.sendResponseHeaders(page.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
