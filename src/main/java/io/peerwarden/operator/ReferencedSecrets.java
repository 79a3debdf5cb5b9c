package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.plan.SecretLookup;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Secrets one reconcile of an instance reads: the operator's own from its informer (which selects only those,
 * by label), and those the user references (the instance's {@code privateKeySecretRef}, its peers'
 * {@code privateKeySecretRef} and {@code presharedKey.secretRef}) by a GET, at most once per Secret and reconcile.
 * A name nothing references and the informer does not hold is simply absent: a new peer's config Secret costs no
 * request. A change of a referenced Secret is therefore seen at the next reconcile of the instance (any change of
 * the instance or of one of its peers, or the resync interval, {@code --resync}).
 */
final class ReferencedSecrets implements SecretLookup {

    private final KubernetesClient client;
    private final SecretLookup managed;
    private final Set<String> referenced = new HashSet<>();
    private final Map<String, Optional<SecretState>> read = new HashMap<>();

    ReferencedSecrets(KubernetesClient client, SecretLookup managed, VpnInstance instance,
                      Collection<VpnPeer> peers) {
        this.client = client;
        this.managed = managed;
        String namespace = instance.getMetadata().getNamespace();
        if (instance.getSpec() != null && instance.getSpec().getPrivateKeySecretRef() != null) {
            referenced.add(key(namespace, instance.getSpec().getPrivateKeySecretRef().getName()));
        }
        for (VpnPeer peer : peers) {
            if (peer.getSpec() == null) {
                continue;
            }
            String peerNamespace = peer.getMetadata().getNamespace();
            if (peer.getSpec().getPrivateKeySecretRef() != null) {
                referenced.add(key(peerNamespace, peer.getSpec().getPrivateKeySecretRef().getName()));
            }
            if (peer.getSpec().getPresharedKey() != null && peer.getSpec().getPresharedKey().getSecretRef() != null) {
                referenced.add(key(peerNamespace, peer.getSpec().getPresharedKey().getSecretRef().getName()));
            }
        }
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    @Override
    public Optional<SecretState> find(String namespace, String name) {
        Optional<SecretState> own = managed.find(namespace, name);
        String key = key(namespace, name);
        if (own.isPresent() || !referenced.contains(key)) {
            return own;
        }
        return read.computeIfAbsent(key, k -> {
            Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
            return Optional.ofNullable(secret).map(s -> new SecretState(s.getData(), s.getMetadata().getAnnotations(),
                    s.getMetadata().getLabels()));
        });
    }

    /** How many Secrets this reconcile read by GET (tests). */
    int reads() {
        return read.size();
    }
}
