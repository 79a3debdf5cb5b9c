package io.peerwarden.core.tenancy;

import java.util.Map;
import java.util.Optional;

/** The labels of a namespace as the operator's cache holds them. */
@FunctionalInterface
public interface NamespaceLabels {

    /** Nothing is known of any namespace (a caller that never uses spec.peerNamespaces.from: Selector). */
    NamespaceLabels UNKNOWN = namespace -> Optional.empty();

    /** The namespace's labels (empty map when it has none), or empty when the namespace is not known. */
    Optional<Map<String, String>> labelsOf(String namespace);
}
