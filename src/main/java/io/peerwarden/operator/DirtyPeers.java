package io.peerwarden.operator;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * What changed for each instance since its last reconcile took it: the keys ({@link io.peerwarden.core.plan.Seniority#key})
 * of the peers whose events named it, or "everything" when something the reconciler cannot attribute to peers changed
 * (the instance itself, a node, namespace labels, a neighbour instance, an unmappable Secret, a failed reconcile). Marks
 * are made by the event sources' filters ({@link #marking}): JOSDK asks them only for the events it would hand on (not
 * for the echoes of this operator's own writes, nor for updates a filter drops), and before it schedules the reconcile
 * they trigger, so a reconcile always finds the marks of the events that woke it. (The mappers will not do: JOSDK also
 * calls them to index every event, dropped ones included.)
 * Thread-safe: mappers run on informer threads while reconciles take their set.
 */
final class DirtyPeers {

    /** What one reconcile takes: every peer, or only these peer keys. */
    record Taken(boolean everything, Set<String> peers) {
        static final Taken NOTHING = new Taken(false, Set.of());
    }

    private static final Set<String> EVERYTHING = Set.of("\0everything");

    private final Map<ResourceID, Set<String>> byInstance = new ConcurrentHashMap<>();
    private final OwnWrites own = new OwnWrites();

    /** The peers' writes of this process, whose echoes mark nothing ({@link OwnWrites}). */
    OwnWrites ownWrites() {
        return own;
    }

    void peer(ResourceID instance, String peerKey) {
        byInstance.compute(instance, (id, marks) -> {
            if (marks == EVERYTHING) {
                return marks;
            }
            Set<String> result = marks == null ? new HashSet<>() : marks;
            result.add(peerKey);
            return result;
        });
    }

    void everything(ResourceID instance) {
        byInstance.put(instance, EVERYTHING);
    }

    /** Takes (and clears) what changed for the instance: atomically, so a mark made meanwhile is kept for the next reconcile. */
    Taken take(ResourceID instance) {
        Set<String> marks = byInstance.remove(instance);
        if (marks == null) {
            return Taken.NOTHING;
        }
        return marks == EVERYTHING ? new Taken(true, Set.of()) : new Taken(false, marks);
    }

    /** After a failed reconcile: nothing taken is lost, the next one plans every peer. */
    void failed(ResourceID instance) {
        everything(instance);
    }

    /** The instance is gone: its marks go with it. */
    void forget(ResourceID instance) {
        byInstance.remove(instance);
    }

    /**
     * The builder with add, update and delete filters that call {@code mark} (with the old copy on updates, else null) for
     * every event they let through; {@code updates} decides which updates pass (null: all).
     */
    static <R extends io.fabric8.kubernetes.api.model.HasMetadata> InformerEventSourceConfiguration.Builder<R> marking(
            InformerEventSourceConfiguration.Builder<R> builder, OnUpdateFilter<R> updates, BiConsumer<R, R> mark) {
        return marking(builder, updates, mark, null);
    }

    /**
     * As {@link #marking(InformerEventSourceConfiguration.Builder, OnUpdateFilter, BiConsumer)}, but an add or update that
     * is the echo of one of {@code own} writes marks nothing and is dropped, and one that comes while such a write is in
     * flight is marked only if the write's end shows it was not that write's ({@link OwnWrites#markUnlessOwn}); deletions
     * always mark.
     */
    static <R extends io.fabric8.kubernetes.api.model.HasMetadata> InformerEventSourceConfiguration.Builder<R> marking(
            InformerEventSourceConfiguration.Builder<R> builder, OnUpdateFilter<R> updates, BiConsumer<R, R> mark, OwnWrites own) {
        return builder.withOnAddFilter(added -> {
            if (own != null) {
                return own.markUnlessOwn(added, () -> mark.accept(added, null));
            }
            mark.accept(added, null);
            return true;
        }).withOnUpdateFilter((newResource, oldResource) -> {
            if (updates != null && !updates.accept(newResource, oldResource)) {
                return false;
            }
            if (own != null) {
                return own.markUnlessOwn(newResource, () -> mark.accept(newResource, oldResource));
            }
            mark.accept(newResource, oldResource);
            return true;
        }).withOnDeleteFilter((deleted, finalStateUnknown) -> {
            mark.accept(deleted, null);
            return true;
        });
    }

    /** The number of instances with marks (for tests). */
    int instancesMarked() {
        return byInstance.size();
    }
}
