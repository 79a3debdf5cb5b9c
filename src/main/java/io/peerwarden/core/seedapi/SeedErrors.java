package io.peerwarden.core.seedapi;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.text.SafeText;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a refusal becomes the seeds' answers: the condition reason is the Altostrat {@code ErrorResponse.code} and picks
 * the WGDashboard {@code message}; a refusal from the API server (the admission webhook's {@code <Reason>: <message>},
 * or a schema/CEL rule naming a field) is mapped back to the reason the operator would report for it.
 */
public final class SeedErrors {

    /** Not a condition reason: the request body is not JSON of the documented shape. */
    public static final String MALFORMED_REQUEST = "MalformedRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String PEER_NOT_FOUND = "PeerNotFound";
    public static final String REQUEST_TOO_LARGE = "RequestTooLarge";
    public static final String METHOD_NOT_ALLOWED = "MethodNotAllowed";
    public static final String NOT_FOUND = "NotFound";

    /** The WGDashboard seed's own messages, by the reason each one is in Peerwarden. */
    private static final Map<String, String> WG_DASHBOARD = Map.of(
            Reasons.ALLOWED_IP_TAKEN, "Allowed IP already taken by another peer",
            Reasons.INVALID_ENDPOINT_ALLOWED_IPS, "Endpoint Allowed IPs format is incorrect",
            Reasons.INVALID_DNS, "DNS format is incorrect",
            Reasons.INVALID_MTU, "MTU format is not correct",
            Reasons.INVALID_KEEPALIVE, "Persistent Keepalive format is not correct",
            Reasons.KEY_MISMATCH, "Private key does not match with the public key");

    /** The spec field an API-server refusal names, to the reason the operator reports for the same field. */
    private static final Map<String, String> FIELD_REASONS = new LinkedHashMap<>();

    static {
        FIELD_REASONS.put("spec.endpointAllowedIPs", Reasons.INVALID_ENDPOINT_ALLOWED_IPS);
        FIELD_REASONS.put("spec.allowedIPs", Reasons.INVALID_ALLOWED_IPS);
        FIELD_REASONS.put("spec.subnets", Reasons.INVALID_SUBNETS);
        FIELD_REASONS.put("spec.dns", Reasons.INVALID_DNS);
        FIELD_REASONS.put("spec.mtu", Reasons.INVALID_MTU);
        FIELD_REASONS.put("spec.persistentKeepalive", Reasons.INVALID_KEEPALIVE);
        FIELD_REASONS.put("spec.endpoint", Reasons.INVALID_ENDPOINT);
        FIELD_REASONS.put("spec.displayName", Reasons.INVALID_DISPLAY_NAME);
        FIELD_REASONS.put("spec.userId", Reasons.INVALID_USER_ID);
        FIELD_REASONS.put("spec.siteId", Reasons.INVALID_SITE_ID);
        FIELD_REASONS.put("spec.protocol", Reasons.UNSUPPORTED_PROTOCOL);
        FIELD_REASONS.put("spec.type", Reasons.INVALID_TYPE);
        FIELD_REASONS.put("spec.publicKey", Reasons.INVALID_KEY);
        FIELD_REASONS.put("spec.privateKeySecretRef", Reasons.INVALID_KEY);
        FIELD_REASONS.put("spec.presharedKey", Reasons.INVALID_KEY);
        FIELD_REASONS.put("spec.access", Reasons.INVALID_ACCESS_RULE);
    }

    /** Plain messages for refusals the API server phrased (its text may quote the submitted value, so it is not passed on). */
    private static final Map<String, String> PLAIN = Map.ofEntries(
            Map.entry(Reasons.INVALID_ENDPOINT_ALLOWED_IPS, "Endpoint Allowed IPs format is incorrect: spec.endpointAllowedIPs entries are CIDRs such as 0.0.0.0/0"),
            Map.entry(Reasons.INVALID_ALLOWED_IPS, "Allowed IP format is incorrect: spec.allowedIPs entries are CIDRs such as 10.24.0.2/32"),
            Map.entry(Reasons.INVALID_SUBNETS, "Subnet format is incorrect: spec.subnets entries are CIDRs such as 192.168.10.0/24"),
            Map.entry(Reasons.INVALID_DNS, "DNS format is incorrect: spec.dns entries are IP addresses or search domains"),
            Map.entry(Reasons.INVALID_MTU, "MTU format is not correct: spec.mtu is an integer from 1280 to 9000"),
            Map.entry(Reasons.INVALID_KEEPALIVE, "Persistent Keepalive format is not correct: spec.persistentKeepalive is an integer from 0 to 65535"),
            Map.entry(Reasons.INVALID_ENDPOINT, "Endpoint format is incorrect: spec.endpoint is host:port"),
            Map.entry(Reasons.INVALID_DISPLAY_NAME, "spec.displayName must be one line of at most 253 characters"),
            Map.entry(Reasons.INVALID_USER_ID, "spec.userId must be one line of at most 253 characters"),
            Map.entry(Reasons.INVALID_SITE_ID, "spec.siteId must be one line of at most 253 characters"),
            Map.entry(Reasons.UNSUPPORTED_PROTOCOL, "only protocol wireguard is supported"),
            Map.entry(Reasons.INVALID_TYPE, "spec.type is client or site"),
            Map.entry(Reasons.INVALID_KEY, "a key is not 32 bytes of base64 as wg genkey prints it"),
            Map.entry(Reasons.INVALID_ACCESS_RULE, "an entry of spec.access is not a valid rule"),
            Map.entry(Reasons.FIELD_NOT_APPLICABLE, "the field applies only to the other peer type (subnets to sites, route_all to clients)"));

    private SeedErrors() {
    }

    /** The WGDashboard seed's message for a reason; a reason the seed has no message for keeps Peerwarden's message. */
    public static String wgDashboardMessage(String reason, String message) {
        return WG_DASHBOARD.getOrDefault(reason, message);
    }

    /** Every reason that has a WGDashboard seed message (tests, docs). */
    public static Map<String, String> wgDashboardMessages() {
        return WG_DASHBOARD;
    }

    /** Every reason {@link #fromApiServer} can give for a schema or CEL refusal (docs/api.md has a section for each). */
    public static java.util.Set<String> schemaReasons() {
        return java.util.Set.copyOf(PLAIN.keySet());
    }

    /** The Altostrat {@code ErrorResponse.type} for an HTTP status. */
    public static String errorType(int status) {
        return switch (status) {
            case 400, 405, 409, 413 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            default -> "api_error";
        };
    }

    /** A refusal in the seeds' terms: the reason ({@code code}) and a plain message naming the field and the fix. */
    public record Refusal(String reason, String message) {
        public Refusal {
            message = SafeText.message(message);
        }
    }

    /**
     * The reason and message of an API server's refusal of a VpnPeer write (HTTP 400/422): the admission webhook
     * answers {@code <Reason>: <message>} (passed on: it is the condition's own message), a schema or CEL rule
     * names a field ({@code causes}), mapped to the operator's reason with a message of our own.
     *
     * @param message the Status message
     * @param causeFields the Status details' cause fields, in order
     * @param causeMessages their messages, same order
     */
    public static Refusal fromApiServer(String message, List<String> causeFields, List<String> causeMessages) {
        String text = message == null ? "" : message;
        int denied = text.indexOf("denied the request: ");
        if (denied >= 0) {
            String rest = text.substring(denied + "denied the request: ".length());
            int colon = rest.indexOf(": ");
            if (colon > 0 && rest.substring(0, colon).matches("[A-Z][A-Za-z0-9]*")) {
                return new Refusal(rest.substring(0, colon), rest.substring(colon + 2));
            }
            return new Refusal(Reasons.NOT_ALLOWED, "the request was refused by an admission policy");
        }
        for (int i = 0; i < causeFields.size(); i++) {
            Optional<String> reason = reasonOfField(causeFields.get(i), i < causeMessages.size() ? causeMessages.get(i) : "");
            if (reason.isPresent()) {
                return new Refusal(reason.get(), PLAIN.get(reason.get()));
            }
        }
        for (String field : FIELD_REASONS.keySet()) {
            if (text.contains(field + ":") || text.contains(field + "[")) {
                String reason = FIELD_REASONS.get(field);
                return new Refusal(reason, PLAIN.get(reason));
            }
        }
        if (text.contains("applies only to")) {
            return new Refusal(Reasons.FIELD_NOT_APPLICABLE, PLAIN.get(Reasons.FIELD_NOT_APPLICABLE));
        }
        return new Refusal(MALFORMED_REQUEST, "the API server refused the change as invalid");
    }

    static Optional<String> reasonOfField(String field, String causeMessage) {
        if (field == null) {
            return Optional.empty();
        }
        String bare = field.replaceAll("\\[\\d+]", "");
        if (bare.equals("spec") && causeMessage != null && causeMessage.contains("applies only to")) {
            return Optional.of(Reasons.FIELD_NOT_APPLICABLE);
        }
        if (bare.equals("spec.protocol")) {
            return Optional.of(Reasons.UNSUPPORTED_PROTOCOL);
        }
        // the longest field first: spec.endpointAllowedIPs before spec.endpoint
        return FIELD_REASONS.entrySet().stream()
                .filter(e -> bare.equals(e.getKey()) || bare.startsWith(e.getKey() + "."))
                .map(Map.Entry::getValue).findFirst();
    }
}
