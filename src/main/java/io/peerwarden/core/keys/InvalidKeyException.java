package io.peerwarden.core.keys;

/**
 * A WireGuard key that cannot be used. The message names the problem (empty, not base64, wrong
 * length) and never contains the key material, which may be a private key.
 */
public final class InvalidKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidKeyException(String message) {
        super(message);
    }
}
