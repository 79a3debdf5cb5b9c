package io.peerwarden.agent;

import io.fabric8.kubernetes.api.model.Secret;
import io.peerwarden.core.plan.SecretLookup.SecretState;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** The agent's Secrets as the core's {@link io.peerwarden.core.plan.SecretLookup} serves them. */
final class SecretStates {

    private SecretStates() {
    }

    /**
     * The Secret's data, base64 as stored; a {@code stringData} entry (kept as written by a server that does not
     * merge it, such as the CRUD mock) counts where {@code data} has none for its key.
     */
    static SecretState of(Secret secret) {
        Map<String, String> data = new HashMap<>();
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((key, value) -> {
                if (value != null) {
                    data.put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
                }
            });
        }
        if (secret.getData() != null) {
            secret.getData().forEach((key, value) -> {
                if (value != null) {
                    data.put(key, value);
                }
            });
        }
        return new SecretState(data, secret.getMetadata() == null ? null : secret.getMetadata().getAnnotations(),
                secret.getMetadata() == null ? null : secret.getMetadata().getLabels());
    }
}
