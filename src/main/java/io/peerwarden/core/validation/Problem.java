package io.peerwarden.core.validation;

import java.util.Objects;

/**
 * One thing wrong with a spec, ready to become a {@code False} condition and an Event.
 *
 * @param reason  a stable CamelCase constant of {@link io.peerwarden.api.v1alpha1.Reasons}
 * @param field   the spec path of the bad value, e.g. {@code spec.allowedIPs[1]}
 * @param message a plain sentence a user can act on, naming the field and the bad value
 */
public record Problem(String reason, String field, String message) {

    public Problem {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
