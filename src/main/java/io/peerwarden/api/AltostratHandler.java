package io.peerwarden.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.seedapi.AltostratPeers;
import io.peerwarden.core.seedapi.SeedErrors;

import java.io.IOException;
import java.util.Optional;

/**
 * Altostrat's managed VPN API over VpnPeers: {@code GET} and {@code PUT /vpn/instances/{instanceId}/peers/{peerId}}
 * (ids are {@code metadata.uid}), {@code PeerUpdate} in, {@code Peer} or {@code ErrorResponse} out.
 */
final class AltostratHandler implements HttpHandler {

    static final String PREFIX = "/vpn/instances/";

    private final TokenAuthenticator authenticator;
    private final PeerDirectory directory;
    private final PeerService peers;
    private final ConfigTokens tokens;
    private final String docBase;
    private final int maxBody;

    AltostratHandler(TokenAuthenticator authenticator, PeerDirectory directory, PeerService peers, ConfigTokens tokens,
                     String docBase, int maxBody) {
        this.authenticator = authenticator;
        this.directory = directory;
        this.peers = peers;
        this.tokens = tokens;
        this.docBase = docBase;
        this.maxBody = maxBody;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getRawPath().substring(PREFIX.length()).split("/", -1);
        if (parts.length != 3 || !parts[1].equals("peers") || parts[0].isEmpty() || parts[2].isEmpty()) {
            error(exchange, 404, SeedErrors.PEER_NOT_FOUND, "no such resource: use /vpn/instances/{instanceId}/peers/{peerId}");
            return;
        }
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("PUT")) {
            exchange.getResponseHeaders().set("Allow", "GET, PUT");
            error(exchange, 405, SeedErrors.METHOD_NOT_ALLOWED, "use GET or PUT");
            return;
        }
        byte[] body = method.equals("PUT") ? ApiServer.readBody(exchange, maxBody) : new byte[0];
        if (body == null) {
            error(exchange, 413, SeedErrors.REQUEST_TOO_LARGE, "the body is larger than " + maxBody + " bytes");
            return;
        }
        Optional<Caller> caller = authenticator.authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
        if (caller.isEmpty()) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            error(exchange, 401, SeedErrors.UNAUTHORIZED, "send a valid bearer token: Authorization: Bearer <token>");
            return;
        }
        JsonNode update = null;
        if (method.equals("PUT")) {
            try {
                update = ApiServer.MAPPER.readTree(body);
            } catch (IOException e) {
                update = null;
            }
            if (update == null || !update.isObject()) {
                error(exchange, 400, SeedErrors.MALFORMED_REQUEST, "the body is a JSON PeerUpdate: {\"subnets\": [...], \"route_all\": true}");
                return;
            }
        }
        Optional<VpnPeer> found = directory.peerByUid(parts[2]);
        if (found.isEmpty()) {
            answer(exchange, PeerService.notFound());
            return;
        }
        Optional<PeerService.Failed> invisible = peers.invisible(caller.get(), found.get());
        if (invisible.isPresent()) {
            answer(exchange, invisible.get());
            return;
        }
        Optional<VpnInstance> instance = directory.instanceByUid(parts[0]);
        if (instance.isEmpty() || !PeerDirectory.belongsTo(found.get(), instance.get())) {
            error(exchange, 404, Reasons.INSTANCE_NOT_FOUND, "no instance with this id holds the peer");
            return;
        }
        PeerService.Outcome outcome = method.equals("GET") ? new PeerService.Done(found.get())
                : peers.update(caller.get(), found.get(), AltostratPeers.update(update, found.get()));
        if (outcome instanceof PeerService.Done done) {
            Optional<AltostratPeers.Token> token = tokens.issue(done.peer(), caller.get().token())
                    .map(t -> new AltostratPeers.Token(t.token(), t.ttlSeconds()));
            ApiServer.sendJson(exchange, 200, AltostratPeers.peer(done.peer(), token));
        } else {
            answer(exchange, (PeerService.Failed) outcome);
        }
    }

    private void answer(HttpExchange exchange, PeerService.Failed failed) throws IOException {
        error(exchange, failed.status(), failed.reason(), failed.message());
    }

    private void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ApiServer.sendJson(exchange, status, Answers.altostratError(docBase, status, code, message));
    }
}
