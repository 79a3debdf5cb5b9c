package io.peerwarden.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerwarden.api.v1alpha1.VpnPeer;

import java.time.Duration;
import java.util.Map;

/**
 * Writes a VpnPeer as the caller: an update (PUT) of the peer with the changed spec fields, sent to the API server with
 * the caller's own bearer token, never the API's ServiceAccount, so authentication, RBAC ({@code update} on vpnpeers,
 * the verb the scope {@code vpn:update} stands for), the schema, CEL and the admission webhook answer exactly as for
 * the same user's {@code kubectl replace}. The update carries the resourceVersion and uid it was based on: a conflict
 * (409) re-reads the peer as the caller and applies the same change again (at most {@value #ATTEMPTS} times); a peer
 * deleted, or recreated under the same name, is not changed.
 */
public final class CallerWrites {

    static final int ATTEMPTS = 4;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Config base;
    private final Duration timeout;

    /**
     * @param base    the API's own client configuration: only where the API server is and which CA it has are used
     * @param timeout request timeout of each write
     */
    public CallerWrites(Config base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
    }

    /** Sets the given spec fields (null removes one) of the peer as the caller and returns the peer as stored. */
    public VpnPeer patchSpec(Caller caller, VpnPeer current, Map<String, Object> spec) {
        try (KubernetesClient client = asCaller(caller)) {
            var resource = client.resources(VpnPeer.class).inNamespace(current.getMetadata().getNamespace())
                    .withName(current.getMetadata().getName());
            VpnPeer read = current;
            for (int attempt = 1; ; attempt++) {
                try {
                    return client.resources(VpnPeer.class).inNamespace(current.getMetadata().getNamespace())
                            .resource(changed(read, spec)).update();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409 || attempt >= ATTEMPTS) {
                        throw e;
                    }
                    read = resource.get();
                    if (read == null || !current.getMetadata().getUid().equals(read.getMetadata().getUid())) {
                        throw new KubernetesClientException("the peer is gone", 404, null);
                    }
                }
            }
        }
    }

    /** A copy of the peer (the cache's object is never changed) with the spec fields set. */
    static VpnPeer changed(VpnPeer peer, Map<String, Object> spec) {
        ObjectNode tree = MAPPER.valueToTree(peer);
        ObjectNode specNode = tree.with("spec");
        spec.forEach((field, value) -> {
            if (value == null) {
                specNode.remove(field);
            } else {
                specNode.set(field, MAPPER.valueToTree(value));
            }
        });
        tree.remove("status");
        try {
            return MAPPER.treeToValue(tree, VpnPeer.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private KubernetesClient asCaller(Caller caller) {
        return clientFor(caller.token());
    }

    /**
     * A client that acts as the holder of {@code bearerToken} against the API's own server (no credentials of the API's);
     * the caller closes it.
     */
    public KubernetesClient clientFor(String bearerToken) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(base.getMasterUrl())
                .withCaCertData(base.getCaCertData())
                .withCaCertFile(base.getCaCertFile())
                .withTrustCerts(base.isTrustCerts())
                .withDisableHostnameVerification(base.isDisableHostnameVerification())
                .withOauthToken(bearerToken)
                .withRequestTimeout((int) timeout.toMillis())
                .withConnectionTimeout((int) timeout.toMillis())
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
