package io.peerwarden.share;

import java.util.Optional;
import java.util.ArrayList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.share.ShareGrant;
import io.peerwarden.core.share.ShareSecrets;
import io.peerwarden.core.share.ShareToken;
import io.peerwarden.core.share.ShareTtl;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mints and revokes share links with the given client's own rights: a record Secret in the peer's
 * namespace, owned by the VpnPeer (it goes when the peer goes), holding the token's hash only. So only
 * someone who may create Secrets there (and so could read the peer's config Secret anyway) can mint.
 */
public final class ShareIssuer {

    /** The most links one peer has at once; minting another revokes the oldest. */
    public static final int LIVE_LINKS_PER_PEER = 10;

    private final KubernetesClient client;
    private final Clock clock;
    private final SecureRandom random;

    public ShareIssuer(KubernetesClient client, Clock clock, SecureRandom random) {
        this.client = client;
        this.clock = clock;
        this.random = random;
    }

    public ShareIssuer(KubernetesClient client) {
        this(client, Clock.systemUTC(), new SecureRandom());
    }

    /**
     * A new single-use link to {@code peer}'s config, valid for {@code ttl} (between {@link ShareTtl#MIN} and
     * {@link ShareTtl#MAX}, else IllegalArgumentException with a sentence for the user). The peer must have
     * been read from the cluster (its UID is recorded: a peer made again under the name is not opened).
     * Expired records of the same peer are removed on the way.
     */
    public IssuedShare issue(VpnPeer peer, Duration ttl) {
        ShareTtl.problem(ttl).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        String namespace = peer.getMetadata().getNamespace();
        String uid = peer.getMetadata().getUid();
        if (namespace == null || uid == null) {
            throw new IllegalArgumentException("the VpnPeer must be read from the cluster (it has no namespace or UID)");
        }
        prune(namespace, peer.getMetadata().getName());
        Instant expires = clock.instant().plus(ttl);
        ShareToken token = ShareToken.mint(namespace, random);
        client.secrets().inNamespace(namespace).resource(record(peer, token, expires)).create();
        return new IssuedShare(token.text(), ttl.toSeconds(), expires);
    }

    /** Deletes every live link of the peer; returns how many there were. */
    public int revoke(String namespace, String peerName) {
        int revoked = 0;
        for (Secret secret : records(namespace, peerName)) {
            if (!client.secrets().inNamespace(namespace).resource(secret).delete().isEmpty()) {
                revoked++;
            }
        }
        return revoked;
    }

    /** The peer's records (the label holds 63 characters of a name: the annotation decides). */
    private List<Secret> records(String namespace, String peerName) {
        return client.secrets().inNamespace(namespace).withLabelSelector(ShareSecrets.selector(peerName)).list().getItems().stream()
                .filter(s -> s.getMetadata().getAnnotations() != null
                        && peerName.equals(s.getMetadata().getAnnotations().get(ShareSecrets.PEER_NAME_ANNOTATION)))
                .toList();
    }

    /**
     * Removes the peer's expired links and, past {@value #LIVE_LINKS_PER_PEER} live ones, the oldest (those that expire
     * first), so the new link makes at most that many: a dashboard that reads a peer every few seconds through the
     * Altostrat API mints a link per answer and would otherwise leave a Secret behind each time.
     */
    private void prune(String namespace, String peerName) {
        Instant now = clock.instant();
        try {
            List<Map.Entry<Secret, Instant>> live = new ArrayList<>();
            for (Secret secret : records(namespace, peerName)) {
                Map<String, String> data = new LinkedHashMap<>();
                if (secret.getData() != null) {
                    secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
                }
                Optional<ShareGrant> grant = ShareSecrets.read(namespace, secret.getMetadata().getLabels(),
                        secret.getMetadata().getAnnotations(), data);
                if (grant.map(g -> g.expired(now)).orElse(false)) {
                    client.secrets().inNamespace(namespace).resource(secret).delete();
                } else if (grant.isPresent()) {
                    live.add(Map.entry(secret, grant.get().expiresAt()));
                }
            }
            live.sort(Map.Entry.comparingByValue());
            for (int i = 0; i < live.size() - (LIVE_LINKS_PER_PEER - 1); i++) {
                client.secrets().inNamespace(namespace).resource(live.get(i).getKey()).delete();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
                throw e;
            }
            // may create but not list: the old records stay until they are spent or their peer goes
        }
    }

    private static Secret record(VpnPeer peer, ShareToken token, Instant expires) {
        ShareGrant grant = ShareGrant.of(token, peer.getMetadata().getName(), peer.getMetadata().getUid(), expires);
        Map<String, String> data = new LinkedHashMap<>();
        ShareSecrets.data(grant).forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder()
                .withNewMetadata().withName(token.recordName()).withNamespace(token.namespace())
                .withLabels(ShareSecrets.labels(grant)).withAnnotations(ShareSecrets.annotations(grant))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(HasMetadata.getApiVersion(VpnPeer.class))
                        .withKind(HasMetadata.getKind(VpnPeer.class)).withName(peer.getMetadata().getName())
                        .withUid(peer.getMetadata().getUid()).build())
                .endMetadata()
                .withType("Opaque").withImmutable(true).withData(data).build();
    }
}
