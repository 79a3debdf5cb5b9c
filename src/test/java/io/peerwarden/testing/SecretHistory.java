package io.peerwarden.testing;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.peerwarden.api.v1alpha1.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches (without faults) the Secrets of one namespace the operator writes, and remembers for each the
 * first keys and address it ever held. Any later version holding another private key, preshared key,
 * public key or address, and any deletion, is recorded as a violation: "no changed key, preshared key or
 * address" is then {@code violations().isEmpty()}, checked over every version the API server served.
 */
public final class SecretHistory implements AutoCloseable {

    /** What a Secret of the operator's must never change: keys (base64 as stored) and the recorded address. */
    public record Held(String privateKey, String presharedKey, String publicKey, String allowedIps) {
        static Held of(Secret secret) {
            Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
            Map<String, String> annotations = secret.getMetadata().getAnnotations() == null ? Map.of()
                    : secret.getMetadata().getAnnotations();
            return new Held(data.get(Labels.PRIVATE_KEY), data.get(Labels.PRESHARED_KEY), data.get(Labels.PUBLIC_KEY),
                    annotations.get(Labels.ALLOWED_IPS_ANNOTATION));
        }
    }

    private final Map<String, Held> first = new ConcurrentHashMap<>();
    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    private final java.util.Set<String> expectedDeletions = ConcurrentHashMap.newKeySet();
    private final SharedIndexInformer<Secret> informer;

    public SecretHistory(KubernetesClient admin, String namespace) {
        informer = admin.secrets().inNamespace(namespace).withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Secret secret) {
                        seen(secret);
                    }

                    @Override
                    public void onUpdate(Secret before, Secret after) {
                        seen(after);
                    }

                    @Override
                    public void onDelete(Secret secret, boolean unknownFinalState) {
                        if (!expectedDeletions.remove(secret.getMetadata().getName())) {
                            violations.add("Secret " + secret.getMetadata().getName() + " was deleted");
                        }
                    }
                });
    }

    private void seen(Secret secret) {
        String name = secret.getMetadata().getName();
        Held now = Held.of(secret);
        Held was = first.putIfAbsent(name, now);
        if (was != null && !was.equals(now)) {
            violations.add("Secret " + name + " changed what it holds: "
                    + (Objects.equals(was.privateKey(), now.privateKey()) ? "" : "private key; ")
                    + (Objects.equals(was.presharedKey(), now.presharedKey()) ? "" : "preshared key; ")
                    + (Objects.equals(was.publicKey(), now.publicKey()) ? "" : "public key; ")
                    + (Objects.equals(was.allowedIps(), now.allowedIps()) ? "" : "address " + was.allowedIps() + " -> " + now.allowedIps()));
        }
    }

    /** The first version of each Secret seen, by name. */
    public Map<String, Held> first() {
        return Map.copyOf(first);
    }

    public List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    /** The test itself is about to delete this Secret: its deletion, and whatever replaces it, are no violation. */
    public void expectDeletion(String name) {
        expectedDeletions.add(name);
        first.remove(name);
    }

    @Override
    public void close() {
        informer.close();
    }
}
