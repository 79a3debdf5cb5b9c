package io.peerwarden.kube;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Status writes shared by the two writers of a resource's status (the operator and the node agent).
 * Each writer changes only the fields it owns: the mutation is applied to the latest copy, written
 * with its resourceVersion (a PUT on /status, optimistic concurrency), and on 409 Conflict it is
 * re-applied to a freshly read copy. Nothing the other writer wrote in between is lost, and
 * nothing is written when the mutation changes nothing.
 */
public final class StatusUpdates {

    private static final Logger LOG = LoggerFactory.getLogger(StatusUpdates.class);
    private static final int MAX_ATTEMPTS = 8;

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
            copy.setStatus(after);
            try {
                return Optional.of(client.resources(type).resource(copy).updateStatus());
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return Optional.empty();
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
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
