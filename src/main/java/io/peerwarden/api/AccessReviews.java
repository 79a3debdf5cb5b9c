package io.peerwarden.api;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Asks the API server whether a caller may do a verb on one VpnPeer (SubjectAccessReview, authorization.k8s.io/v1):
 * the seed's scope {@code vpn:read} is {@code get}, {@code vpn:update} is {@code update} on {@code vpnpeers} in the
 * peer's namespace, exactly as RBAC decides for the same user's kubectl.
 */
public final class AccessReviews {

    public static final String GROUP = "vpn.peerwarden.io";
    public static final String PEERS = "vpnpeers";

    private final KubernetesClient client;

    public AccessReviews(KubernetesClient client) {
        this.client = client;
    }

    public boolean allowed(Caller caller, String verb, String namespace, String name) {
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(caller.username()).withUid(caller.uid()).withGroups(caller.groups()).withExtra(caller.extra())
                .withNewResourceAttributes().withGroup(GROUP).withResource(PEERS).withVerb(verb)
                .withNamespace(namespace).withName(name).endResourceAttributes()
                .endSpec().build();
        SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review);
        return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    }
}
