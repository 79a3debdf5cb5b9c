package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.core.plan.DesiredSecret;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the Secrets the operator owns: create, or update with the cached resourceVersion (a stale
 * cache gives 409 and the reconcile is retried, never a blind overwrite). Nothing is written when
 * the Secret already holds what the plan wants. Written copies are handed to the informer's
 * recent-write cache, so the next reconcile reads them even before the watch event arrives.
 *
 * <p>The cache holds Secrets without their QR code PNG ({@link LeanItemStore}): whether a Secret holds what the
 * plan wants is decided on everything else (the PNG is a function of {@code wg0.conf}, so the same config means the
 * same PNG) plus the PNG being there at all; the PNG is drawn only for a Secret that is written, and every write
 * carries it in full. A cached copy is never written back as it is: {@link #disown} patches the owner references only.
 *
 * <p>An owner makes the garbage collector delete the Secret with it (a peer's config Secret goes
 * with the peer); without one the Secret outlives whatever it was made for. Owner references other
 * controllers or users put on a Secret are kept.
 */
final class SecretWriter {

    private static final String API_GROUP_PREFIX = VpnInstance.GROUP + "/";

    private final KubernetesClient client;
    private final InformerEventSource<Secret, ?> secrets;
    private final OperatorMetrics metrics;

    SecretWriter(KubernetesClient client, InformerEventSource<Secret, ?> secrets, OperatorMetrics metrics) {
        this.client = client;
        this.secrets = secrets;
        this.metrics = metrics;
    }

    /**
     * @param owner the resource the Secret lives and dies with, or null for a Secret that belongs to no one
     * @return true when something was written
     */
    boolean write(DesiredSecret desired, HasMetadata owner) {
        return written(desired, owner) != null;
    }

    /** As {@link #write}, but returns the resourceVersion written, or null when nothing was written. */
    String written(DesiredSecret desired, HasMetadata owner) {
        ResourceID id = new ResourceID(desired.name(), desired.namespace());
        Optional<Secret> existing = secrets.get(id);
        if (existing.isEmpty()) {
            Secret created = client.secrets().inNamespace(desired.namespace()).resource(build(desired, owner, null)).create();
            metrics.apiWrite("secret", "create");
            secrets.handleRecentResourceCreate(id, LeanItemStore.lean(created));
            return created.getMetadata().getResourceVersion();
        }
        Secret current = existing.get();
        if (desired.createOnly() || holds(current, desired, owner)) {
            return null;
        }
        return update(id, build(desired, owner, current), current).getMetadata().getResourceVersion();
    }

    /**
     * Takes Peerwarden's owner references off a Secret the operator created, so the garbage collector no
     * longer deletes it with that owner. Secrets the operator did not create are never touched.
     *
     * @return true when something was written
     */
    boolean disown(String namespace, String name) {
        ResourceID id = new ResourceID(name, namespace);
        Optional<Secret> existing = secrets.get(id);
        if (existing.isEmpty() || !managedByUs(existing.get())) {
            return false;
        }
        Secret current = existing.get();
        List<OwnerReference> kept = foreignOwners(current);
        if (kept.size() == owners(current).size()) {
            return false;
        }
        // a merge patch of the owner references only: the cached copy lacks the PNG, so it is never sent back whole;
        // its resourceVersion makes a stale cache fail with 409 like an update
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("resourceVersion", current.getMetadata().getResourceVersion());
        metadata.put("ownerReferences", kept);
        String patch = client.getKubernetesSerialization().asJson(Map.of("metadata", metadata));
        Secret updated = client.secrets().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        metrics.apiWrite("secret", "update");
        secrets.handleRecentResourceUpdate(id, LeanItemStore.lean(updated), current);
        return true;
    }

    /** Deletes a Secret the operator owns outright (a node-keys shard); one already gone is fine. */
    void delete(String namespace, String name) {
        client.secrets().inNamespace(namespace).withName(name).delete();
        metrics.apiWrite("secret", "delete");
    }

    private Secret update(ResourceID id, Secret wanted, Secret current) {
        Secret updated = client.secrets().inNamespace(id.getNamespace().orElseThrow()).resource(wanted).update();
        metrics.apiWrite("secret", "update");
        secrets.handleRecentResourceUpdate(id, LeanItemStore.lean(updated), current);
        return updated;
    }

    private static boolean managedByUs(Secret secret) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        return labels != null && Labels.MANAGED_BY_VALUE.equals(labels.get(Labels.MANAGED_BY));
    }

    private static boolean holds(Secret current, DesiredSecret desired, HasMetadata owner) {
        return holdsData(current.getData(), desired)
                && containsAll(current.getMetadata().getLabels(), desired.labels())
                && containsAll(current.getMetadata().getAnnotations(), desired.annotations())
                && owners(current).equals(ownerReferences(current, owner));
    }

    /**
     * The stored data is the planned data, and the drawn entry (the PNG) is there: its value is not compared (the cache
     * does not hold it, and it is a function of the rest). A missing or empty PNG is drawn again.
     */
    static boolean holdsData(Map<String, String> stored, DesiredSecret desired) {
        Map<String, String> current = stored == null ? Map.of() : stored;
        if (desired.drawn() == null) {
            return current.equals(desired.data());
        }
        String drawnKey = desired.drawn().key();
        String drawn = current.get(drawnKey);
        if (drawn == null || drawn.isEmpty() || current.size() != desired.data().size() + 1) {
            return false;
        }
        for (Map.Entry<String, String> wanted : desired.data().entrySet()) {
            if (!wanted.getValue().equals(current.get(wanted.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsAll(Map<String, String> actual, Map<String, String> wanted) {
        if (wanted.isEmpty()) {
            return true;
        }
        return actual != null && actual.entrySet().containsAll(wanted.entrySet());
    }

    private static Secret build(DesiredSecret desired, HasMetadata owner, Secret current) {
        Map<String, String> labels = new HashMap<>(current == null || current.getMetadata().getLabels() == null
                ? Map.of() : current.getMetadata().getLabels());
        labels.putAll(desired.labels());
        Map<String, String> annotations = new HashMap<>(current == null || current.getMetadata().getAnnotations() == null
                ? Map.of() : current.getMetadata().getAnnotations());
        annotations.putAll(desired.annotations());
        ObjectMetaBuilder meta = new ObjectMetaBuilder()
                .withName(desired.name())
                .withNamespace(desired.namespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(ownerReferences(current, owner));
        if (current != null) {
            meta.withResourceVersion(current.getMetadata().getResourceVersion());
        }
        return new SecretBuilder().withMetadata(meta.build()).withType("Opaque").withData(desired.dataToWrite()).build();
    }

    /** The references a Secret should carry: everyone else's as they are, plus the given owner's (if any). */
    private static List<OwnerReference> ownerReferences(Secret current, HasMetadata owner) {
        List<OwnerReference> references = new ArrayList<>(current == null ? List.of() : foreignOwners(current));
        if (owner != null) {
            references.add(new OwnerReferenceBuilder()
                    .withApiVersion(owner.getApiVersion())
                    .withKind(owner.getKind())
                    .withName(owner.getMetadata().getName())
                    .withUid(owner.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(false)
                    .build());
        }
        return references;
    }

    private static List<OwnerReference> owners(Secret secret) {
        List<OwnerReference> references = secret.getMetadata().getOwnerReferences();
        return references == null ? List.of() : references;
    }

    private static List<OwnerReference> foreignOwners(Secret secret) {
        return owners(secret).stream()
                .filter(r -> r.getApiVersion() == null || !r.getApiVersion().startsWith(API_GROUP_PREFIX))
                .toList();
    }
}
