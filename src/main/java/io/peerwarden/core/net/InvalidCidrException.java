package io.peerwarden.core.net;

/** A text that is not a valid IPv4 or IPv6 CIDR (or address pool). The message names the value and why. */
public class InvalidCidrException extends IllegalArgumentException {

    private final String value;

    public InvalidCidrException(String value, String message) {
        super(message);
        this.value = value;
    }

    /** The rejected text as given. */
    public String value() {
        return value;
    }
}
