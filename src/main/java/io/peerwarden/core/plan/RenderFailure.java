package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.render.QrCodes;
import io.peerwarden.core.status.ConditionState;

import java.util.Map;

/**
 * Why a valid peer's config could not be rendered, as its {@code ConfigRendered=False} condition:
 * {@code ConfigTooLarge} when the QR code overflows, {@code ConfigRejected} when the renderer's
 * allow-list refused a value that validation let through. The renderer names its own fields;
 * the message names the spec field the user sets instead.
 */
final class RenderFailure {

    /** The renderer's field names, as the user writes them. */
    private static final Map<String, String> SPEC_FIELDS = Map.of(
            "dns", "spec.dns",
            "allowedIPs", "spec.endpointAllowedIPs",
            "addresses", "spec.allowedIPs",
            "endpoint", "the VpnInstance's spec.endpoint",
            "mtu", "spec.mtu",
            "persistentKeepalive", "spec.persistentKeepalive",
            "presharedKey", "the preshared key",
            "privateKey", "the private key",
            "serverPublicKey", "the VpnInstance's key");

    private RenderFailure() {
    }

    static ConditionState of(RuntimeException e) {
        if (e instanceof QrCodes.TooLargeException tooLarge) {
            return ConditionState.isFalse(ConditionTypes.CONFIG_RENDERED, Reasons.CONFIG_TOO_LARGE,
                    "The config (" + tooLarge.bytes() + " bytes) does not fit in a QR code (at most 2331 bytes):"
                            + " shorten spec.endpointAllowedIPs or spec.dns (of the peer, or the instance's spec.dns"
                            + " it inherits), e.g. by summarising routes into wider CIDRs.");
        }
        return ConditionState.isFalse(ConditionTypes.CONFIG_RENDERED, Reasons.CONFIG_REJECTED,
                "The config could not be rendered: " + specField(String.valueOf(e.getMessage())) + ".");
    }

    /** The message with its leading renderer field ("dns[0] contains ...") replaced by the spec field. */
    static String specField(String message) {
        int end = 0;
        while (end < message.length() && Character.isLetter(message.charAt(end))) {
            end++;
        }
        String field = SPEC_FIELDS.get(message.substring(0, end));
        return field == null ? message : field + message.substring(end);
    }
}
