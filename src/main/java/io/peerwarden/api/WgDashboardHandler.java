package io.peerwarden.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.seedapi.SeedErrors;
import io.peerwarden.core.seedapi.WgDashboardPeers;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * WGDashboard's {@code POST /api/updatePeerSettings/<configName>}: configName is the VpnInstance's name (or
 * {@code <namespace>:<name>} where several namespaces have one of that name), the body's {@code id} the peer's public
 * key. A refused change is HTTP 200 with {@code {"data": null, "message": <the seed's message>, "status": false}} as
 * WGDashboard answers; no or a bad token (401), a missing scope (403) and an unknown configuration or peer (404) keep
 * that body with their HTTP status.
 */
final class WgDashboardHandler implements HttpHandler {

    static final String PREFIX = "/api/updatePeerSettings/";

    private final TokenAuthenticator authenticator;
    private final PeerDirectory directory;
    private final PeerService peers;
    private final int maxBody;

    WgDashboardHandler(TokenAuthenticator authenticator, PeerDirectory directory, PeerService peers, int maxBody) {
        this.authenticator = authenticator;
        this.directory = directory;
        this.peers = peers;
        this.maxBody = maxBody;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestURI().getRawPath().substring(PREFIX.length());
        String configName;
        try {
            configName = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            configName = raw;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            fail(exchange, 405, "Method not allowed: use POST");
            return;
        }
        byte[] body = ApiServer.readBody(exchange, maxBody);
        if (body == null) {
            fail(exchange, 413, "Request body is larger than " + maxBody + " bytes");
            return;
        }
        Optional<Caller> caller = authenticator.authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
        if (caller.isEmpty()) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            fail(exchange, 401, "Unauthorized: send a valid bearer token");
            return;
        }
        JsonNode settings;
        try {
            settings = ApiServer.MAPPER.readTree(body);
        } catch (IOException e) {
            settings = null;
        }
        if (settings == null || !settings.isObject()) {
            fail(exchange, 200, "Request body is not the peer's settings as a JSON object");
            return;
        }
        List<VpnInstance> instances = instances(configName);
        if (instances.size() > 1) {
            fail(exchange, 200, "Configuration name is ambiguous: use <namespace>:" + instances.get(0).getMetadata().getName());
            return;
        }
        Optional<String> publicKey = WgDashboardPeers.publicKey(settings);
        Optional<VpnPeer> peer = instances.isEmpty() || publicKey.isEmpty() ? Optional.empty()
                : directory.peerByPublicKey(instances.get(0), publicKey.get());
        if (peer.isEmpty() || peers.invisible(caller.get(), peer.get()).isPresent()) {
            // one answer for an unknown configuration, an unknown peer and one the caller may not read
            fail(exchange, 404, "Peer does not exist");
            return;
        }
        PeerService.Outcome outcome = peers.update(caller.get(), peer.get(), WgDashboardPeers.update(settings, peer.get()));
        if (outcome instanceof PeerService.Failed failed) {
            int status = failed.status() == 400 ? 200 : failed.status();
            fail(exchange, status, SeedErrors.wgDashboardMessage(failed.reason(), failed.message()));
            return;
        }
        ApiServer.sendJson(exchange, 200, Answers.wgDashboard(List.of(), null, true));
    }

    private List<VpnInstance> instances(String configName) {
        int colon = configName.indexOf(':');
        if (colon >= 0) {
            String namespace = configName.substring(0, colon);
            return directory.instancesNamed(configName.substring(colon + 1)).stream()
                    .filter(i -> namespace.equals(i.getMetadata().getNamespace())).toList();
        }
        return directory.instancesNamed(configName);
    }

    private static void fail(HttpExchange exchange, int status, String message) throws IOException {
        ApiServer.sendJson(exchange, status, Answers.wgDashboard(null, message, false));
    }
}
