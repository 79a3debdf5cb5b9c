package io.peerwarden.core.policy;

/** The install policy cannot be used; the message is one line naming the field. */
public final class InvalidPolicyException extends RuntimeException {

    public InvalidPolicyException(String message) {
        super(message);
    }
}
