package io.peerwarden.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.peerwarden.api.v1alpha1.VpnPeer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a VpnPeer as the caller: a JSON merge patch of its spec sent to the API server with the caller's own bearer
 * token, never the API's ServiceAccount, so authentication, RBAC, the schema, CEL and the admission webhook answer
 * exactly as for the same user's {@code kubectl patch}. The patch carries the peer's {@code metadata.uid}, so a peer
 * deleted and recreated under the same name in between is not changed.
 */
public final class CallerWrites {

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

    /** Patches {@code spec} of the peer as the caller and returns the peer as the API server stored it. */
    public VpnPeer patchSpec(Caller caller, VpnPeer current, Map<String, Object> spec) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("uid", current.getMetadata().getUid());
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("metadata", metadata);
        patch.put("spec", spec);
        String body;
        try {
            body = MAPPER.writeValueAsString(patch);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try (KubernetesClient client = asCaller(caller)) {
            return client.resources(VpnPeer.class).inNamespace(current.getMetadata().getNamespace())
                    .withName(current.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), body);
        }
    }

    private KubernetesClient asCaller(Caller caller) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(base.getMasterUrl())
                .withCaCertData(base.getCaCertData())
                .withCaCertFile(base.getCaCertFile())
                .withTrustCerts(base.isTrustCerts())
                .withDisableHostnameVerification(base.isDisableHostnameVerification())
                .withOauthToken(caller.token())
                .withRequestTimeout((int) timeout.toMillis())
                .withConnectionTimeout((int) timeout.toMillis())
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
