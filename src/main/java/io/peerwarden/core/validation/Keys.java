package io.peerwarden.core.validation;

import java.util.Base64;

/** WireGuard key text: standard base64 of exactly 32 bytes (44 characters with one '=' of padding). */
final class Keys {

    static final int KEY_BYTES = 32;

    private Keys() {
    }

    /** True when {@code text} is the canonical base64 encoding of 32 bytes, as {@code wg genkey} prints it. */
    static boolean isWireGuardKey(String text) {
        if (text == null) {
            return false;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(text);
            // re-encoding rejects missing padding and non-zero trailing bits
            return raw.length == KEY_BYTES && Base64.getEncoder().encodeToString(raw).equals(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
