package io.peerwarden.api;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.seedapi.PatchOrRefusal;
import io.peerwarden.core.seedapi.SeedErrors;
import io.peerwarden.core.text.SafeText;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * What both seeds' handlers do with a peer, in one place: check that the caller may see it ({@code get}, else it is
 * not found) and change it ({@code update}, else 403), write the translated change as the caller, and wait briefly
 * for the operator's verdict on the new generation, so that a problem only the reconciler sees (a collision without
 * the webhook installed, a key mismatch, {@code wg set} failing) is answered like the seeds answer it. The VpnPeer's
 * conditions stay the source of truth: when no verdict arrives in time, the write stands and the answer is success.
 */
final class PeerService {

    sealed interface Outcome permits Done, Failed {
    }

    record Done(VpnPeer peer) implements Outcome {
    }

    record Failed(int status, String reason, String message) implements Outcome {
        Failed {
            message = SafeText.message(message);
        }
    }

    private final PeerDirectory directory;
    private final AccessReviews access;
    private final CallerWrites writes;
    private final Duration settle;

    PeerService(PeerDirectory directory, AccessReviews access, CallerWrites writes, Duration settle) {
        this.directory = directory;
        this.access = access;
        this.writes = writes;
        this.settle = settle;
    }

    /** 404 unless the caller may {@code get} the peer: a peer the caller cannot read does not exist for them. */
    Optional<Failed> invisible(Caller caller, VpnPeer peer) {
        if (access.allowed(caller, "get", peer.getMetadata().getNamespace(), peer.getMetadata().getName())) {
            return Optional.empty();
        }
        return Optional.of(notFound());
    }

    static Failed notFound() {
        return new Failed(404, SeedErrors.PEER_NOT_FOUND, "no peer with this id in this instance, or not one you may read");
    }

    Outcome update(Caller caller, VpnPeer current, PatchOrRefusal change) {
        String namespace = current.getMetadata().getNamespace();
        if (!access.allowed(caller, "update", namespace, current.getMetadata().getName())) {
            return new Failed(403, SeedErrors.FORBIDDEN, "missing scope vpn:update: you may not update vpnpeers in namespace "
                    + namespace + " (RBAC verb update on vpnpeers.vpn.peerwarden.io)");
        }
        if (change.refused()) {
            return new Failed(400, change.refusal().reason(), change.refusal().message());
        }
        VpnPeer written = current;
        if (!change.spec().isEmpty()) {
            try {
                written = writes.patchSpec(caller, current, change.spec());
            } catch (KubernetesClientException e) {
                return refused(e);
            }
        }
        return settled(written);
    }

    /** The API server's refusal of the caller's write, in the seeds' terms. */
    static Failed refused(KubernetesClientException e) {
        int code = e.getCode();
        if (code == 400 || code == 422) {
            List<StatusCause> causes = e.getStatus() == null || e.getStatus().getDetails() == null
                    || e.getStatus().getDetails().getCauses() == null ? List.of() : e.getStatus().getDetails().getCauses();
            String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : "";
            SeedErrors.Refusal refusal = SeedErrors.fromApiServer(message,
                    causes.stream().map(c -> c.getField() == null ? "" : c.getField()).toList(),
                    causes.stream().map(c -> c.getMessage() == null ? "" : c.getMessage()).toList());
            return new Failed(400, refusal.reason(), refusal.message());
        }
        if (code == 401) {
            return new Failed(401, SeedErrors.UNAUTHORIZED, "the API server does not accept the bearer token");
        }
        if (code == 403) {
            return new Failed(403, SeedErrors.FORBIDDEN, "missing scope vpn:update: the API server forbids this update for you");
        }
        if (code == 404 || code == 409) {
            // deleted, or deleted and recreated under the same name (the uid precondition)
            return notFound();
        }
        return new Failed(500, Reasons.INTERNAL_ERROR, "the API server could not be reached or failed; try again");
    }

    /**
     * Waits (at most the settle time) for the operator's Valid condition on the written generation; a False one is the
     * answer, as is an agent's {@code WgSetFailed} on that generation.
     */
    Outcome settled(VpnPeer written) {
        long generation = written.getMetadata().getGeneration() == null ? 0 : written.getMetadata().getGeneration();
        long deadline = System.nanoTime() + settle.toNanos();
        VpnPeer latest = written;
        while (true) {
            Optional<VpnPeer> cached = directory.peer(written.getMetadata().getNamespace(), written.getMetadata().getName())
                    .filter(p -> written.getMetadata().getUid().equals(p.getMetadata().getUid()));
            if (cached.isPresent() && cached.get().getMetadata().getGeneration() != null
                    && cached.get().getMetadata().getGeneration() >= generation) {
                latest = cached.get();
                Optional<Condition> valid = condition(latest, ConditionTypes.VALID, generation);
                if (valid.isPresent()) {
                    if ("False".equals(valid.get().getStatus())) {
                        return new Failed(400, valid.get().getReason(), valid.get().getMessage());
                    }
                    Optional<Condition> applied = condition(latest, ConditionTypes.APPLIED, generation);
                    if (applied.isPresent() && Reasons.WG_SET_FAILED.equals(applied.get().getReason())) {
                        return new Failed(400, Reasons.WG_SET_FAILED, applied.get().getMessage());
                    }
                    return new Done(latest);
                }
            }
            if (System.nanoTime() >= deadline) {
                return new Done(latest);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    private static Optional<Condition> condition(VpnPeer peer, String type, long generation) {
        if (peer.getStatus() == null || peer.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return peer.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .filter(c -> c.getObservedGeneration() != null && c.getObservedGeneration() >= generation)
                .findFirst();
    }
}
