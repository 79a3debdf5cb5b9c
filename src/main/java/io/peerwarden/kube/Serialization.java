package io.peerwarden.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Deep copies and comparisons through Jackson, so cached objects are never mutated in place. */
public final class Serialization {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Serialization() {
    }

    public static <T> T copy(T value, Class<T> type) {
        if (value == null) {
            return null;
        }
        return MAPPER.convertValue(value, type);
    }

    public static JsonNode asTree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
