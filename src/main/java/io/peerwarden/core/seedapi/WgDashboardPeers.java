package io.peerwarden.core.seedapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.net.Endpoint;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The WGDashboard seed's {@code updatePeerSettings} body as a JSON merge patch of a VpnPeer's spec. The body is the
 * whole peer as WGDashboard shows it; only the settings it can change are read:
 * {@code DNS} → spec.dns, {@code allowed_ip} → spec.allowedIPs, {@code endpoint_allowed_ip} → spec.endpointAllowedIPs,
 * {@code keepalive} → spec.persistentKeepalive, {@code mtu} → spec.mtu, {@code name} → spec.displayName,
 * {@code restricted} → spec.restricted, {@code remote_endpoint} → spec.endpoint (site peers, {@code host:port} only:
 * on a client it is the server address, which is the instance's). {@code private_key} is checked against the peer's
 * public key and never written (keys live only in Secrets); {@code preshared_key} and the read-only fields
 * (counters, handshake, status, jobs, configuration) are ignored.
 */
public final class WgDashboardPeers {

    private WgDashboardPeers() {
    }

    /** The public key a body names ({@code id}), or empty. */
    public static Optional<String> publicKey(JsonNode body) {
        JsonNode id = body == null ? null : body.get("id");
        return id != null && id.isTextual() && !id.asText().isBlank() ? Optional.of(id.asText().strip()) : Optional.empty();
    }

    /** The peer's public key as WGDashboard knows it: spec.publicKey, else the generated status.publicKey. */
    public static Optional<String> publicKeyOf(VpnPeer peer) {
        if (peer.getSpec() != null && peer.getSpec().getPublicKey() != null) {
            return Optional.of(peer.getSpec().getPublicKey());
        }
        return Optional.ofNullable(peer.getStatus() == null ? null : peer.getStatus().getPublicKey());
    }

    public static PatchOrRefusal update(JsonNode body, VpnPeer current) {
        if (body == null || !body.isObject()) {
            return PatchOrRefusal.refused(SeedErrors.MALFORMED_REQUEST, "the body is the peer's settings as a JSON object");
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        Optional<List<String>> dns = list(body, "DNS");
        dns.ifPresent(l -> spec.put("dns", l.isEmpty() ? null : l));
        Optional<List<String>> allowed = list(body, "allowed_ip");
        allowed.filter(l -> !l.isEmpty()).ifPresent(l -> spec.put("allowedIPs", l));
        Optional<List<String>> endpointAllowed = list(body, "endpoint_allowed_ip");
        endpointAllowed.ifPresent(l -> spec.put("endpointAllowedIPs", l.isEmpty() ? null : l));
        if (present(body, "keepalive")) {
            Optional<Integer> keepalive = integer(body.get("keepalive"));
            if (keepalive.isEmpty()) {
                return PatchOrRefusal.refused(Reasons.INVALID_KEEPALIVE, SeedErrors.wgDashboardMessage(Reasons.INVALID_KEEPALIVE, ""));
            }
            spec.put("persistentKeepalive", keepalive.get());
        }
        if (present(body, "mtu")) {
            Optional<Integer> mtu = integer(body.get("mtu"));
            if (mtu.isEmpty()) {
                return PatchOrRefusal.refused(Reasons.INVALID_MTU, SeedErrors.wgDashboardMessage(Reasons.INVALID_MTU, ""));
            }
            spec.put("mtu", mtu.get());
        }
        JsonNode name = body.get("name");
        if (name != null && name.isTextual()) {
            String text = name.asText().strip();
            spec.put("displayName", text.isEmpty() ? null : text);
        }
        JsonNode restricted = body.get("restricted");
        if (restricted != null && restricted.isBoolean()) {
            spec.put("restricted", restricted.booleanValue() ? Boolean.TRUE : null);
        }
        JsonNode remote = body.get("remote_endpoint");
        boolean site = current.getSpec() != null && "site".equals(current.getSpec().getType());
        if (site && remote != null && remote.isTextual()) {
            Optional<Endpoint> endpoint = Endpoint.parse(remote.asText());
            endpoint.filter(e -> e.port() != null).ifPresent(e -> spec.put("endpoint", remote.asText().strip()));
        }
        JsonNode privateKey = body.get("private_key");
        if (privateKey != null && privateKey.isTextual() && !privateKey.asText().isBlank()) {
            Optional<String> own = publicKeyOf(current);
            String given = privateKey.asText().strip();
            if (!WireGuardKeys.isValid(given) || own.isEmpty() || !own.get().equals(WireGuardKeys.publicKeyOf(given))) {
                return PatchOrRefusal.refused(Reasons.KEY_MISMATCH, SeedErrors.wgDashboardMessage(Reasons.KEY_MISMATCH, ""));
            }
        }
        return PatchOrRefusal.patch(spec);
    }

    private static boolean present(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && !value.isNull() && !(value.isTextual() && value.asText().isBlank());
    }

    /** WGDashboard sends numbers as numbers or as text. */
    static Optional<Integer> integer(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return Optional.of(value.intValue());
        }
        if (value.isTextual() && value.asText().strip().matches("-?\\d{1,9}")) {
            return Optional.of(Integer.parseInt(value.asText().strip()));
        }
        return Optional.empty();
    }

    /** A comma-separated list as WGDashboard sends it ("1.1.1.1, 8.8.8.8"), or a JSON list; absent: empty Optional. */
    static Optional<List<String>> list(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isArray()) {
            java.util.ArrayList<String> out = new java.util.ArrayList<>();
            value.forEach(v -> out.add(v.asText().strip()));
            return Optional.of(out.stream().filter(s -> !s.isEmpty()).toList());
        }
        return Optional.of(Arrays.stream(value.asText().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }
}
