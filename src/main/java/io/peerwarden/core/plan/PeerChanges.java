package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.VpnPeer;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The peers of an instance as one plan is given them: all of them, or only those that changed since the
 * last plan made with the same {@link PlanMemory}. A plan of only the changed peers is what makes one change
 * among thousands cheap; the caller says "everything" whenever it cannot vouch for the changed set (its first
 * plan, after a failure, after an event it cannot attribute to peers).
 *
 * <p>A peer counts as changed when anything the planner reads of it changed: its spec, metadata (labels,
 * generation, a re-creation under the same name), status, its config Secret, the Secret of its
 * spec.privateKeySecretRef, or the labels of its namespace. A change of the instance, its key Secret, the nodes
 * or the other instances on its node needs no report: the planner notices it and plans every peer.
 *
 * @param all      every current peer naming the instance (deleting ones excluded); read only when the plan
 *                 needs the whole group
 * @param changed  by {@link Seniority#key}: the current peer, or null for a peer that is gone; ignored when
 *                 {@code everything}
 * @param everything the changed set is unknown: plan every peer
 */
public record PeerChanges(Supplier<Collection<VpnPeer>> all, Map<String, VpnPeer> changed, boolean everything) {

    /** Every peer, planned from scratch (as far as the memory is concerned). */
    public static PeerChanges everything(Collection<VpnPeer> all) {
        return new PeerChanges(() -> all, Map.of(), true);
    }

    /** Only these changed (null values: deleted) since the last plan with the same memory. */
    public static PeerChanges only(Supplier<Collection<VpnPeer>> all, Map<String, VpnPeer> changed) {
        return new PeerChanges(all, Collections.unmodifiableMap(changed), false);
    }
}
