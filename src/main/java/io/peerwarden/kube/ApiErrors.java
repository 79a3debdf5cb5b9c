package io.peerwarden.kube;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;

/** What an API server's refusal means, where a writer must tell one refusal from another. */
public final class ApiErrors {

    /** The StatusCause reason of a create refused because its namespace is being deleted. */
    static final String NAMESPACE_TERMINATING = "NamespaceTerminating";

    private ApiErrors() {
    }

    /**
     * The write was refused because its namespace is being deleted: the namespace controller removes
     * everything in it, so there is nothing left to converge and retrying cannot succeed.
     */
    public static boolean namespaceTerminating(KubernetesClientException e) {
        Status status = e.getStatus();
        return e.getCode() == HttpURLConnection.HTTP_FORBIDDEN && status != null && status.getDetails() != null
                && status.getDetails().getCauses() != null
                && status.getDetails().getCauses().stream().anyMatch(c -> NAMESPACE_TERMINATING.equals(c.getReason()));
    }
}
