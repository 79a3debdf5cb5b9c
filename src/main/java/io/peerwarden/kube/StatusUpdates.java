package io.peerwarden.kube;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Status writes shared by the two writers of a resource's status (the operator and the node agent).
 * Each writer changes only the fields it owns: the mutation is applied to the copy at hand and
 * written as a JSON Patch on /status whose first operation tests the copy's resourceVersion. If
 * anyone wrote in between, the test fails, the copy is read again and the mutation re-applied, so
 * nothing the other writer wrote is lost; nothing is written when the mutation changes nothing.
 *
 * <p>Why a JSON Patch with a test, not a PUT with resourceVersion: a real API server rejects a
 * stale PUT on /status with 409, but fabric8's CRUD mock (the API of the tests and the demo)
 * accepts it and silently drops the other writer's fields. The resourceVersion carried in a patch
 * is checked by both, so production and tests run one code path. (A "test" operation would also
 * be a precondition, but the mock never answers a patch whose test fails.) (A merge patch would not do: the mock appends to
 * arrays on merge, duplicating conditions.)
 */
public final class StatusUpdates {

    private static final Logger LOG = LoggerFactory.getLogger(StatusUpdates.class);
    /** Conflicts are rare (two writers, one resource); many in a row mean contention, so back off a little. */
    private static final int MAX_ATTEMPTS = 20;
    private static final PatchContext JSON_PATCH = new PatchContext.Builder().withPatchType(PatchType.JSON).build();
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private StatusUpdates() {
    }

    /**
     * @param current  the copy the caller has (from a cache: may be stale; it is not modified)
     * @param mutation returns the new status given a copy of the current one (it may modify and return its argument)
     * @return the resource as written, or empty when nothing changed or the resource is gone
     */
    public static <S, R extends CustomResource<?, S>> Optional<R> update(
            KubernetesClient client, R current, Class<R> type, UnaryOperator<S> mutation) {
        R base = current;
        for (int attempt = 1; ; attempt++) {
            R copy = Serialization.copy(base, type);
            S before = Serialization.copy(copy.getStatus(), statusClass(copy));
            S after = mutation.apply(copy.getStatus() == null ? newStatus(copy) : copy.getStatus());
            if (Objects.equals(Serialization.asTree(before), Serialization.asTree(after))) {
                return Optional.empty();
            }
            try {
                // resource(copy): the client patches without fetching the object first
                return Optional.of(client.resources(type).resource(copy).subresource("status")
                        .patch(JSON_PATCH, guardedStatusPatch(copy.getMetadata().getResourceVersion(), after)));
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return Optional.empty();
                }
                if (!isStale(e) || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                backOff(attempt);
                LOG.debug("status of {}/{} changed underneath (attempt {}), re-reading", current.getMetadata().getNamespace(),
                        current.getMetadata().getName(), attempt);
                R fresh = client.resources(type).inNamespace(current.getMetadata().getNamespace())
                        .withName(current.getMetadata().getName()).get();
                if (fresh == null) {
                    return Optional.empty();
                }
                base = fresh;
            }
        }
    }

    /** [resourceVersion := the copy's, status := new]: applied only if nobody wrote since the copy was read. */
    static String guardedStatusPatch(String resourceVersion, Object status) {
        ArrayNode patch = JSON.createArrayNode();
        patch.addObject().put("op", "replace").put("path", "/metadata/resourceVersion").put("value", resourceVersion);
        patch.addObject().put("op", "add").put("path", "/status").set("value", JSON.valueToTree(status));
        return patch.toString();
    }

    private static void backOff(int attempt) {
        if (attempt < 3) {
            return;
        }
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 10L * Math.min(attempt, 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a status write", e);
        }
    }

    private static boolean isStale(KubernetesClientException e) {
        return e.getCode() == HttpURLConnection.HTTP_CONFLICT;
    }

    @SuppressWarnings("unchecked")
    private static <S> Class<S> statusClass(CustomResource<?, S> resource) {
        S status = resource.getStatus() == null ? newStatus(resource) : resource.getStatus();
        return (Class<S>) status.getClass();
    }

    private static <S> S newStatus(CustomResource<?, S> resource) {
        // CustomResource#initStatus is protected; a fresh instance of the same class gives it to us
        try {
            @SuppressWarnings("unchecked")
            CustomResource<?, S> fresh = resource.getClass().getDeclaredConstructor().newInstance();
            S status = fresh.getStatus();
            if (status == null) {
                throw new IllegalStateException(resource.getClass() + " does not initialise its status");
            }
            return status;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
