package io.peerwarden.cli;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The namespaces an operator or agent watches, as {@code --namespaces} and env WATCH_NAMESPACE give them. */
public final class NamespaceList {

    private NamespaceList() {
    }

    /** "a, b,,c" → {a, b, c}; null or blank → empty (all namespaces). */
    public static Set<String> parse(String value) {
        if (value == null) {
            return Set.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
