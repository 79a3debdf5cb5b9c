package io.peerwarden.core.tenancy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.List;
import java.util.Map;

/**
 * Kubernetes label selector semantics (as {@code metav1.LabelSelectorAsSelector}): every
 * matchLabels entry and every matchExpressions requirement must hold; an empty selector matches
 * everything; an unknown operator, or In/NotIn without values, matches nothing.
 */
public final class LabelSelectors {

    private LabelSelectors() {
    }

    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> matchLabels = selector.getMatchLabels();
        if (matchLabels != null) {
            for (Map.Entry<String, String> e : matchLabels.entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
        if (expressions != null) {
            for (LabelSelectorRequirement r : expressions) {
                if (!holds(r, labels)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean holds(LabelSelectorRequirement r, Map<String, String> labels) {
        String key = r.getKey();
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        if (key == null || r.getOperator() == null) {
            return false;
        }
        return switch (r.getOperator()) {
            case "In" -> !values.isEmpty() && labels.containsKey(key) && values.contains(labels.get(key));
            case "NotIn" -> !values.isEmpty() && !(labels.containsKey(key) && values.contains(labels.get(key)));
            case "Exists" -> values.isEmpty() && labels.containsKey(key);
            case "DoesNotExist" -> values.isEmpty() && !labels.containsKey(key);
            default -> false;
        };
    }
}
