package io.peerwarden.core.seedapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerwarden.api.v1alpha1.Formats;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.net.Endpoint;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Altostrat seed's {@code Peer} read from a VpnPeer, and its {@code PeerUpdate} as a JSON merge patch of the
 * VpnPeer's spec. Nothing here is a second copy of the peer: every field comes from spec, status or metadata.
 */
public final class AltostratPeers {

    private AltostratPeers() {
    }

    /** A short-lived config token for the {@code token}/{@code token_ttl} fields (absent: both null). */
    public record Token(String token, long ttlSeconds) {
    }

    /** The seed's {@code Peer}, field by field, in the seed's order. */
    public static Map<String, Object> peer(VpnPeer peer, Optional<Token> token) {
        VpnPeerSpec spec = peer.getSpec() == null ? new VpnPeerSpec() : peer.getSpec();
        VpnPeerStatus status = peer.getStatus();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", peer.getMetadata().getUid());
        out.put("type", "site".equals(spec.getType()) ? "site" : "client");
        out.put("user_id", spec.getUserId());
        out.put("site_id", spec.getSiteId());
        out.put("subnets", spec.getSubnets() == null ? List.of() : List.copyOf(spec.getSubnets()));
        out.put("route_all", Boolean.TRUE.equals(spec.getRouteAll()));
        out.put("protocol", spec.getProtocol() == null ? Formats.WIREGUARD : spec.getProtocol());
        out.put("connected", status != null && Boolean.TRUE.equals(status.getConnected()));
        out.put("connected_from", status == null ? null : hostOf(status.getConnectedFrom()));
        out.put("token", token.map(Token::token).orElse(null));
        out.put("token_ttl", token.map(Token::ttlSeconds).orElse(null));
        out.put("created_at", peer.getMetadata().getCreationTimestamp());
        return out;
    }

    /** The seed's {@code connected_from} is the address only; status.connectedFrom is {@code ip:port}. */
    static String hostOf(String connectedFrom) {
        if (connectedFrom == null || connectedFrom.isBlank()) {
            return null;
        }
        return Endpoint.parse(connectedFrom).map(Endpoint::host).orElse(null);
    }

    /**
     * The merge patch of a {@code PeerUpdate} body: {@code subnets} → spec.subnets, {@code route_all} →
     * spec.routeAll. A field the body leaves out is left as it is. What does not apply to the peer's type and says
     * nothing (an empty {@code subnets} on a client, {@code route_all: false} on a site) clears the field; a
     * field that does apply is passed on and the API server's schema decides, as for kubectl.
     *
     * @return the spec patch, or a refusal when the body is not of the seed's shape
     */
    public static PatchOrRefusal update(JsonNode body, VpnPeer current) {
        if (body == null || !body.isObject()) {
            return PatchOrRefusal.refused(SeedErrors.MALFORMED_REQUEST, "the body is a PeerUpdate object: {\"subnets\": [...], \"route_all\": true}");
        }
        boolean site = current.getSpec() != null && "site".equals(current.getSpec().getType());
        Map<String, Object> spec = new LinkedHashMap<>();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("subnets") && !name.equals("route_all")) {
                return PatchOrRefusal.refused(SeedErrors.MALFORMED_REQUEST, "unknown field in PeerUpdate; use subnets or route_all");
            }
        }
        JsonNode subnets = body.get("subnets");
        if (subnets != null && !subnets.isNull()) {
            if (!subnets.isArray()) {
                return PatchOrRefusal.refused(SeedErrors.MALFORMED_REQUEST, "subnets is a list of CIDRs such as [\"192.168.100.0/24\"]");
            }
            List<String> list = new ArrayList<>();
            for (JsonNode item : subnets) {
                if (!item.isTextual()) {
                    return PatchOrRefusal.refused(SeedErrors.MALFORMED_REQUEST, "subnets is a list of CIDRs such as [\"192.168.100.0/24\"]");
                }
                list.add(item.asText());
            }
            spec.put("subnets", list.isEmpty() && !site ? null : list);
        }
        JsonNode routeAll = body.get("route_all");
        if (routeAll != null && !routeAll.isNull()) {
            if (!routeAll.isBoolean()) {
                return PatchOrRefusal.refused(SeedErrors.MALFORMED_REQUEST, "route_all is true or false");
            }
            spec.put("routeAll", site && !routeAll.booleanValue() ? null : routeAll.booleanValue());
        }
        return PatchOrRefusal.patch(spec);
    }
}
