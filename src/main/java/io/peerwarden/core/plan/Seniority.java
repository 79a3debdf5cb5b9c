package io.peerwarden.core.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Who came first: earliest creationTimestamp, then namespace/name. Collisions are decided in this
 * order, so the same cluster state always gives the same winner.
 *
 * <p>{@link #ORDER} parses the timestamps of both sides on every comparison; to sort many resources use
 * {@link #sorted}, which computes each one's {@link Key} once, and to compare one resource with many, keep
 * its {@code Key}. All three order exactly alike.
 */
public final class Seniority {

    public static final Comparator<HasMetadata> ORDER = Comparator
            .comparing((HasMetadata r) -> created(r), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(r -> nullToEmpty(r.getMetadata().getNamespace()))
            .thenComparing(r -> nullToEmpty(r.getMetadata().getName()));

    /**
     * A resource's place in {@link #ORDER}, computed once (the parsed creationTimestamp, null when missing
     * or unparsable, so last; then namespace and name, null as empty). Immutable; equal keys are equally senior.
     */
    public static final class Key implements Comparable<Key> {

        private static final Comparator<Key> KEY_ORDER = Comparator
                .comparing((Key k) -> k.created, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(k -> k.namespace)
                .thenComparing(k -> k.name);

        private final Instant created;
        private final String namespace;
        private final String name;

        private Key(Instant created, String namespace, String name) {
            this.created = created;
            this.namespace = namespace;
            this.name = name;
        }

        public static Key of(HasMetadata resource) {
            return new Key(created(resource), nullToEmpty(resource.getMetadata().getNamespace()),
                    nullToEmpty(resource.getMetadata().getName()));
        }

        @Override
        public int compareTo(Key other) {
            return KEY_ORDER.compare(this, other);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(created, k.created) && namespace.equals(k.namespace) && name.equals(k.name);
        }

        @Override
        public int hashCode() {
            return Objects.hash(created, namespace, name);
        }

        @Override
        public String toString() {
            return namespace + "/" + name + " created " + (created == null ? "(unknown)" : created);
        }
    }

    private record Decorated<T>(Key key, T resource) {
    }

    private Seniority() {
    }

    /**
     * The resources in {@link #ORDER}, each timestamp parsed once (n parses instead of two per comparison);
     * stable like a sort by {@code ORDER}: resources that compare equal keep the collection's order.
     */
    public static <T extends HasMetadata> List<T> sorted(Collection<? extends T> resources) {
        List<Decorated<T>> decorated = new ArrayList<>(resources.size());
        for (T resource : resources) {
            decorated.add(new Decorated<>(Key.of(resource), resource));
        }
        decorated.sort(Comparator.comparing(Decorated::key));
        List<T> result = new ArrayList<>(decorated.size());
        for (Decorated<T> d : decorated) {
            result.add(d.resource());
        }
        return Collections.unmodifiableList(result);
    }

    private static Instant created(HasMetadata resource) {
        String timestamp = resource.getMetadata().getCreationTimestamp();
        if (timestamp == null) {
            return null;
        }
        try {
            return Instant.parse(timestamp);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    public static String key(HasMetadata resource) {
        return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    }
}
