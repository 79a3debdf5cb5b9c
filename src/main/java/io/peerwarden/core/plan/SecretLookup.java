package io.peerwarden.core.plan;

import java.util.Map;
import java.util.Optional;

/**
 * Read access to Secrets as the planner needs them, so the planner stays free of any Kubernetes
 * client: the operator serves it from its informer cache.
 */
public interface SecretLookup {

    /** The Secret's data (values still base64, as stored) and annotations, or empty when it does not exist. */
    Optional<SecretState> find(String namespace, String name);

    record SecretState(Map<String, String> data, Map<String, String> annotations, Map<String, String> labels) {
        public SecretState {
            data = data == null ? Map.of() : data;
            annotations = annotations == null ? Map.of() : annotations;
            labels = labels == null ? Map.of() : labels;
        }
    }
}
