package io.peerwarden.share;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.core.render.QrCodes;
import io.peerwarden.core.share.ShareGrant;
import io.peerwarden.core.share.ShareSecrets;
import io.peerwarden.core.share.ShareToken;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Share records in the cluster: one GET of the record by name in the token's namespace, one GET of the
 * peer's config Secret, one DELETE with the record's resourceVersion as precondition, so of two
 * concurrent visits the API server lets exactly one delete succeed. Needs get and delete on Secrets in
 * the peers' namespaces (see docs/security.md), never list. The resourceVersion alone is the precondition: a record
 * deleted and made again has another one.
 */
public final class KubeShareStore implements ShareStore {

    private final KubernetesClient client;

    public KubeShareStore(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<Stored> find(ShareToken token) {
        Secret secret = client.secrets().inNamespace(token.namespace()).withName(token.recordName()).get();
        if (secret == null || secret.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        return ShareSecrets.read(token.namespace(), secret.getMetadata().getLabels(), secret.getMetadata().getAnnotations(),
                        decoded(secret.getData()))
                .map(grant -> new Stored(secret.getMetadata().getName(), grant, secret.getMetadata().getUid(),
                        secret.getMetadata().getResourceVersion()));
    }

    @Override
    public Optional<PeerConfig> config(ShareGrant grant) {
        Secret secret = client.secrets().inNamespace(grant.namespace()).withName(Labels.peerConfigSecretName(grant.peerName())).get();
        if (secret == null || secret.getData() == null || secret.getData().get(Labels.CONFIG) == null) {
            return Optional.empty();
        }
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        // a peer deleted and created again under the same name has new keys: the old link must not open them
        if (annotations == null || !grant.peerUid().equals(annotations.get(Labels.PEER_UID_ANNOTATION))) {
            return Optional.empty();
        }
        String config = new String(Base64.getDecoder().decode(secret.getData().get(Labels.CONFIG)), StandardCharsets.UTF_8);
        String png = secret.getData().get(Labels.CONFIG_QR);
        return Optional.of(new PeerConfig(config, png != null ? Base64.getDecoder().decode(png) : QrCodes.png(config)));
    }

    @Override
    public boolean spend(Stored stored) {
        try {
            // DeleteOptions.preconditions.resourceVersion: a second visit that read the same version gets 409 (or 404)
            var deleted = client.secrets().inNamespace(stored.grant().namespace()).withName(stored.name())
                    .lockResourceVersion(stored.resourceVersion()).delete();
            return !deleted.isEmpty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static Map<String, String> decoded(Map<String, String> data) {
        if (data == null) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        data.forEach((k, v) -> out.put(k, v == null ? null : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }
}
