package io.peerwarden.core.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Instant;
import java.util.Comparator;

/**
 * Who came first: earliest creationTimestamp, then namespace/name. Collisions are decided in this
 * order, so the same cluster state always gives the same winner.
 */
public final class Seniority {

    public static final Comparator<HasMetadata> ORDER = Comparator
            .comparing((HasMetadata r) -> created(r), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(r -> nullToEmpty(r.getMetadata().getNamespace()))
            .thenComparing(r -> nullToEmpty(r.getMetadata().getName()));

    private Seniority() {
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
