package io.peerwarden.core.share;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pages a share link answers with, self-contained: inline CSS (allowed by its hash in a strict
 * Content-Security-Policy, nothing else may load), the QR code and the config file as {@code data:} URIs,
 * so one visit is all it takes: the download works after the visit spent the token. Every failure
 * (unknown, expired, spent, revoked or malformed token) gets the one {@link #notFound()} page, so a
 * visitor cannot tell them apart. Peer names are HTML-escaped.
 */
public final class SharePage {

    /** A page: HTTP status, content type and body. */
    public record Page(int status, String contentType, String body) {
        public byte[] bytes() {
            return body.getBytes(StandardCharsets.UTF_8);
        }
    }

    public static final String HTML = "text/html; charset=utf-8";
    public static final String TEXT = "text/plain; charset=utf-8";
    /** The file name of the config: what the WireGuard apps import (and wg-quick names the interface after). */
    public static final String FILE_NAME = "wg0.conf";

    static final String STYLE = "body{margin:0;background:#eef1f5;color:#1f2933;font:16px/1.5 system-ui,sans-serif}"
            + "main{max-width:44rem;margin:1.5rem auto;padding:1.5rem 2rem;background:#fff;border-radius:12px}"
            + "h1{font-size:1.4rem;margin:0 0 .5rem}p{margin:.5rem 0}"
            + ".qr{display:block;margin:1rem auto;max-width:100%;height:auto;image-rendering:pixelated}"
            + ".dl{display:inline-block;padding:.6rem 1.2rem;background:#1f5fbf;color:#fff;border-radius:8px;"
            + "text-decoration:none;font-weight:600}.note{color:#52606d;font-size:.9rem}";
    private static final String STYLE_HASH = sha256Base64(STYLE);
    /** Nothing may load but the inline style (by hash) and data: images; no framing, no forms, no base. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src '" + STYLE_HASH
            + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private SharePage() {
    }

    /** The response headers of every page and of the raw file: no caching, no referrer, no sniffing, no framing. */
    public static Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        headers.put("Pragma", "no-cache");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Robots-Tag", "noindex");
        return headers;
    }

    /** The page of a link that was just spent: the QR code and a download of the config. */
    public static Page config(String peerName, String config, byte[] qrPng) {
        String name = escape(peerName);
        String body = head("WireGuard config for " + name)
                + "<h1>WireGuard config for " + name + "</h1>"
                + "<p>Scan the code with the WireGuard app (<em>Add tunnel → Scan from QR code</em>), or download the file "
                + "and import it (<em>Import tunnel from file</em>, or <code>wg-quick up ./" + FILE_NAME + "</code>).</p>"
                + "<img class=\"qr\" alt=\"QR code of the WireGuard config\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(qrPng) + "\">"
                + "<p><a class=\"dl\" download=\"" + FILE_NAME + "\" href=\"data:text/plain;charset=utf-8;base64,"
                + Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8)) + "\">Download " + FILE_NAME + "</a></p>"
                + "<p class=\"note\">This link has now been used and no longer works. The config holds a private key: "
                + "keep it to yourself, and close this page when you are done.</p>"
                + tail();
        return new Page(200, HTML, body);
    }

    /** The config file itself, for {@code curl}. */
    public static Page raw(String config) {
        return new Page(200, TEXT, config);
    }

    /** The one answer to every link that does not work now, whatever the reason. */
    public static Page notFound() {
        return new Page(404, HTML, head("Link not valid")
                + "<h1>This link is not valid</h1>"
                + "<p>It has expired, was already used, or was never issued. A share link works once.</p>"
                + "<p class=\"note\">Ask whoever sent it for a new one.</p>"
                + tail());
    }

    /** Too many failed look-ups from this address. */
    public static Page tooManyRequests() {
        return new Page(429, HTML, head("Too many requests")
                + "<h1>Too many requests</h1><p>Too many links that do not work were tried from this address. Try again later.</p>"
                + tail());
    }

    /** The cluster could not be asked; nothing was spent. */
    public static Page unavailable() {
        return new Page(503, HTML, head("Try again")
                + "<h1>Try again in a moment</h1><p>The config could not be read just now. The link was not used up.</p>"
                + tail());
    }

    private static String head(String title) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"referrer\" content=\"no-referrer\"><meta name=\"robots\" content=\"noindex\">"
                + "<title>" + title + "</title><style>" + STYLE + "</style></head><body><main>";
    }

    private static String tail() {
        return "</main></body></html>";
    }

    /** Text as HTML text or attribute content. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String sha256Base64(String text) {
        try {
            return "sha256-" + Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
