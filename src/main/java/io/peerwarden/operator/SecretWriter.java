package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.peerwarden.core.plan.DesiredSecret;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes the Secrets the operator owns: create, or update with the cached resourceVersion (a stale
 * cache gives 409 and the reconcile is retried, never a blind overwrite). Nothing is written when
 * the Secret already holds what the plan wants. Written copies are handed to the informer's
 * recent-write cache, so the next reconcile reads them even before the watch event arrives.
 */
final class SecretWriter {

    private final KubernetesClient client;
    private final InformerEventSource<Secret, ?> secrets;
    private final OperatorMetrics metrics;

    SecretWriter(KubernetesClient client, InformerEventSource<Secret, ?> secrets, OperatorMetrics metrics) {
        this.client = client;
        this.secrets = secrets;
        this.metrics = metrics;
    }

    /** @return true when something was written */
    boolean write(DesiredSecret desired, HasMetadata owner) {
        ResourceID id = new ResourceID(desired.name(), desired.namespace());
        Optional<Secret> existing = secrets.get(id);
        if (existing.isEmpty()) {
            Secret created = client.secrets().inNamespace(desired.namespace()).resource(build(desired, owner, null)).create();
            metrics.apiWrite("secret", "create");
            secrets.handleRecentResourceCreate(id, created);
            return true;
        }
        Secret current = existing.get();
        if (desired.createOnly() || holds(current, desired)) {
            return false;
        }
        Secret updated = client.secrets().inNamespace(desired.namespace())
                .resource(build(desired, owner, current)).update();
        metrics.apiWrite("secret", "update");
        secrets.handleRecentResourceUpdate(id, updated, current);
        return true;
    }

    private static boolean holds(Secret current, DesiredSecret desired) {
        return Objects.equals(current.getData(), desired.data())
                && containsAll(current.getMetadata().getLabels(), desired.labels())
                && containsAll(current.getMetadata().getAnnotations(), desired.annotations());
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
                .withOwnerReferences(List.of(new OwnerReferenceBuilder()
                        .withApiVersion(owner.getApiVersion())
                        .withKind(owner.getKind())
                        .withName(owner.getMetadata().getName())
                        .withUid(owner.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(false)
                        .build()));
        if (current != null) {
            meta.withResourceVersion(current.getMetadata().getResourceVersion());
        }
        return new SecretBuilder().withMetadata(meta.build()).withType("Opaque").withData(desired.data()).build();
    }
}
