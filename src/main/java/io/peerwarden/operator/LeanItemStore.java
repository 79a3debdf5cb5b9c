package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer cache of the operator's without what the operator never reads, the one home of that rule for every
 * cache it keeps (instances, peers, Secrets, node keys, nodes, namespaces):
 * <ul>
 *   <li>{@code metadata.managedFields}, on every object: a real API server puts one entry per writer on each object
 *       (the creator, the operator's status, the agent's), a nested map of every field each one set, several KiB per
 *       peer at 10,000 peers. Nothing here reads them, and no cached copy is ever sent back whole: status is written as
 *       a JSON Patch of {@code /status} ({@code kube/StatusUpdates}), Secrets from the plan ({@link SecretWriter}). Even
 *       an update without them would keep the server's (the server resets them only for an explicit empty list).</li>
 *   <li>a peer's config Secret's QR code PNG ({@code wg0.png}), which becomes {@link #PRUNED}: the cache still says
 *       the PNG is there (a Secret that lost it is rewritten) while 10,000 Secrets do not hold 10,000 images. Nothing
 *       the operator decides needs the PNG: it is a function of {@code wg0.conf}.</li>
 *   <li>a node's {@code status.images} (the container images it holds: the bulk of a Node object).</li>
 *   <li>copies of the same text: every deserialized object brings its own copy of its namespace, its label and
 *       annotation keys and values, the condition types, statuses and reasons of its status, its data keys. Those
 *       few distinct values are {@linkplain String#intern() interned} (a bounded set: the JVM drops an interned string
 *       no one refers to), so 10,000 peers refer to one "True"; values unique to one object (names, UIDs, keys,
 *       configs) are left alone, but for UIDs and creation times, which the operator's own records of a peer refer
 *       to again.</li>
 *   <li>the empty maps of unknown fields each model object (metadata, owner references, conditions, Secrets) brings.</li>
 * </ul>
 * One store serves one informer: JOSDK hands a configuration's store to each of its informers, one per watched namespace,
 * and an informer's relist drops from the store whatever it did not list itself. A cache of several namespaces is
 * therefore kept whole ({@link #oneInformer}).
 *
 * <p>The metadata is pruned in place (the object the informer hands on is its own, freshly read, and loses only what no
 * one reads); a Secret's data is pruned on a copy, so that the object given stays whole.
 */
final class LeanItemStore<T extends HasMetadata> implements ItemStore<T> {

    /** Stands for a PNG left out of the cache. Not base64, so never a value the API server returns. */
    static final String PRUNED = "(in the API server)";

    /**
     * Every model object of fabric8's comes with maps of its own for unknown fields, mostly empty: a cached object's empty
     * one is replaced by this one (immutable: a cached object is read, never changed; a copy gets maps of its own).
     */
    private static final Map<String, Object> NOTHING = Map.of();
    private static final Map<String, String> NO_TEXT = Map.of();

    private final BasicItemStore<T> items = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
    private final UnaryOperator<T> lean;

    private LeanItemStore(UnaryOperator<T> lean) {
        this.lean = lean;
    }

    /** Whether an informer configuration of these namespaces makes one informer (all namespaces, or one). */
    static boolean oneInformer(java.util.Set<String> namespaces) {
        return namespaces == null || namespaces.size() <= 1;
    }

    /** A cache of objects without their managed fields. */
    static <T extends HasMetadata> LeanItemStore<T> of(Class<T> type) {
        if (type == Secret.class || type == Node.class) {
            throw new IllegalArgumentException("use secrets() or nodes() for " + type.getSimpleName());
        }
        if (type == VpnPeer.class) {
            return new LeanItemStore<>(object -> {
                VpnPeer peer = (VpnPeer) withoutManagedFields(object);
                sharedStatusText(peer);
                return object;
            });
        }
        return new LeanItemStore<>(LeanItemStore::withoutManagedFields);
    }

    /** A cache of Secrets without their managed fields and PNGs. */
    static LeanItemStore<Secret> secrets() {
        return new LeanItemStore<>(LeanItemStore::lean);
    }

    /** A cache of nodes without their managed fields and image lists. */
    static LeanItemStore<Node> nodes() {
        return new LeanItemStore<>(node -> {
            withoutManagedFields(node);
            if (node.getStatus() != null) {
                node.getStatus().setImages(null);
            }
            return node;
        });
    }

    /** The object without its managed fields, its metadata's repeated text shared (the same object, its metadata changed). */
    static <T extends HasMetadata> T withoutManagedFields(T object) {
        ObjectMeta metadata = object.getMetadata();
        if (metadata == null) {
            return object;
        }
        metadata.setManagedFields(null);
        metadata.setNamespace(shared(metadata.getNamespace()));
        // unique per object, but held again by what the operator remembers of it (ledger, mapper, owner references)
        metadata.setUid(shared(metadata.getUid()));
        metadata.setCreationTimestamp(shared(metadata.getCreationTimestamp()));
        if (metadata.getAdditionalProperties().isEmpty()) {
            metadata.setAdditionalProperties(NOTHING);
        }
        metadata.setLabels(shared(metadata.getLabels()));
        metadata.setAnnotations(shared(metadata.getAnnotations()));
        if (metadata.getOwnerReferences() != null) {
            for (OwnerReference owner : metadata.getOwnerReferences()) {
                owner.setApiVersion(shared(owner.getApiVersion()));
                owner.setKind(shared(owner.getKind()));
                owner.setUid(shared(owner.getUid()));
                if (owner.getAdditionalProperties().isEmpty()) {
                    owner.setAdditionalProperties(NOTHING);
                }
            }
        }
        return object;
    }

    /** A peer's condition types, statuses, reasons and times, and its instance reference, shared. */
    private static void sharedStatusText(VpnPeer peer) {
        if (peer.getSpec() != null) {
            peer.getSpec().setType(shared(peer.getSpec().getType()));
            if (peer.getSpec().getInstanceRef() != null) {
                peer.getSpec().getInstanceRef().setName(shared(peer.getSpec().getInstanceRef().getName()));
                peer.getSpec().getInstanceRef().setNamespace(shared(peer.getSpec().getInstanceRef().getNamespace()));
            }
        }
        VpnPeerStatus status = peer.getStatus();
        if (status == null || status.getConditions() == null) {
            return;
        }
        for (Condition c : status.getConditions()) {
            c.setType(shared(c.getType()));
            c.setStatus(shared(c.getStatus()));
            c.setReason(shared(c.getReason()));
            c.setLastTransitionTime(shared(c.getLastTransitionTime()));
            c.setMessage(shared(c.getMessage()));
            if (c.getAdditionalProperties().isEmpty()) {
                c.setAdditionalProperties(NOTHING);
            }
        }
    }

    private static String shared(String text) {
        return text == null ? null : text.intern();
    }

    private static Map<String, String> shared(Map<String, String> entries) {
        if (entries == null || entries.isEmpty()) {
            return entries;
        }
        Map<String, String> copy = new LinkedHashMap<>(entries.size() * 4 / 3 + 1);
        entries.forEach((k, v) -> copy.put(shared(k), shared(v)));
        return copy;
    }

    /**
     * The Secret as the Secret cache keeps it: without managed fields, and without its PNG value (on a copy sharing the
     * metadata: the Secret's own data is not changed), or the Secret itself when it has no PNG.
     */
    static Secret lean(Secret secret) {
        withoutManagedFields(secret);
        secret.setType(shared(secret.getType()));
        if (secret.getStringData() != null && secret.getStringData().isEmpty()) {
            secret.setStringData(NO_TEXT); // the API server never returns stringData: an empty map per Secret
        }
        if (secret.getAdditionalProperties().isEmpty()) {
            secret.setAdditionalProperties(NOTHING);
        }
        Map<String, String> data = secret.getData();
        if (data == null) {
            return secret;
        }
        String png = data.get(Labels.CONFIG_QR);
        if (png == null || png.isEmpty() || PRUNED.equals(png)) {
            return secret;
        }
        Map<String, String> pruned = new LinkedHashMap<>(data.size() * 4 / 3 + 1);
        data.forEach((k, v) -> pruned.put(shared(k), Labels.CONFIG_QR.equals(k) ? PRUNED : v));
        Secret copy = new Secret(secret.getApiVersion(), pruned, secret.getImmutable(), secret.getKind(), secret.getMetadata(),
                secret.getStringData(), secret.getType());
        copy.setAdditionalProperties(secret.getAdditionalProperties());
        return copy;
    }

    @Override
    public String getKey(T object) {
        return items.getKey(object);
    }

    @Override
    public T put(String key, T object) {
        return items.put(key, lean.apply(object));
    }

    @Override
    public T remove(String key) {
        return items.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet();
    }

    @Override
    public Stream<T> values() {
        return items.values();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return items.get(key);
    }
}
