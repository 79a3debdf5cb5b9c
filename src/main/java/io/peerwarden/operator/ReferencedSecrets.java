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
    private final VpnInstance instance;
    private final java.util.function.Supplier<? extends Collection<VpnPeer>> peers;
    /** built on the first lookup that needs it: a plan of a few changed peers may need none */
    private Set<String> referenced;
    private final Map<String, Optional<SecretState>> read = new HashMap<>();

    ReferencedSecrets(KubernetesClient client, SecretLookup managed, VpnInstance instance,
                      Collection<VpnPeer> peers) {
        this(client, managed, instance, () -> peers);
    }

    /** @param peers the peers whose references may be read, asked for once and only when a lookup needs them */
    ReferencedSecrets(KubernetesClient client, SecretLookup managed, VpnInstance instance,
                      java.util.function.Supplier<? extends Collection<VpnPeer>> peers) {
        this.client = client;
        this.managed = managed;
        this.instance = instance;
        this.peers = peers;
    }

    private synchronized Set<String> referenced() {
        if (referenced != null) {
            return referenced;
        }
        referenced = new HashSet<>();
        String namespace = instance.getMetadata().getNamespace();
        if (instance.getSpec() != null && instance.getSpec().getPrivateKeySecretRef() != null) {
            referenced.add(key(namespace, instance.getSpec().getPrivateKeySecretRef().getName()));
        }
        for (VpnPeer peer : peers.get()) {
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
        return referenced;
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    @Override
    public Optional<SecretState> find(String namespace, String name) {
        Optional<SecretState> own = managed.find(namespace, name);
        String key = key(namespace, name);
        if (own.isPresent() || !referenced().contains(key)) {
            return own;
        }
        synchronized (read) {
            return readOnce(key, namespace, name);
        }
    }

    private Optional<SecretState> readOnce(String key, String namespace, String name) {
        return read.computeIfAbsent(key, k -> {
            Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
            return Optional.ofNullable(secret).map(s -> new SecretState(s.getData(), s.getMetadata().getAnnotations(),
                    s.getMetadata().getLabels()));
        });
    }

    /** How many Secrets this reconcile read by GET (tests). */
    int reads() {
        synchronized (read) {
            return read.size();
        }
    }
}
