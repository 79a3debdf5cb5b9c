package io.peerwarden.cli;

/**
 * A mistake of the user's or of the environment (no cluster configured, server unreachable, bad
 * option) that the command line answers with its message alone, one plain sentence, and a
 * non-zero exit code: never a stack trace.
 */
public final class UserError extends RuntimeException {

    public UserError(String message) {
        super(message, null, false, false);
    }
}
