package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.core.node.NodeKeys;
import io.peerwarden.core.plan.DesiredSecret;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Publishes what each node's agent needs into the release namespace ({@link NodeKeys}): per instance, the Secrets
 * of its node's shards, written only where their content changes, and deleted when the instance leaves the node,
 * loses its key or is deleted. Its informer sees only these Secrets (in the release namespace, by label), and a
 * change made to one by anyone else brings its instance back to be reconciled, which repairs it.
 */
final class NodeKeyPublisher {

    static final String BY_INSTANCE_UID = "nodeKeysByInstanceUid";
    static final String SELECTOR = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE + ","
            + Labels.COMPONENT + "=" + Labels.COMPONENT_NODE_KEYS;

    private final KubernetesClient client;
    private final OperatorMetrics metrics;
    private final String releaseNamespace;
    private InformerEventSource<Secret, VpnInstance> source;
    private SecretWriter writer;

    NodeKeyPublisher(KubernetesClient client, OperatorMetrics metrics, String releaseNamespace) {
        this.client = client;
        this.metrics = metrics;
        this.releaseNamespace = releaseNamespace;
    }

    InformerEventSource<Secret, VpnInstance> eventSource(EventSourceContext<VpnInstance> context) {
        source = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, VpnInstance.class)
                .withName("node-keys")
                .withItemStore(LeanItemStore.secrets())
                .withNamespaces(Set.of(releaseNamespace))
                .withFollowControllerNamespacesChanges(false)
                .withLabelSelector(SELECTOR)
                .withSecondaryToPrimaryMapper(NodeKeyPublisher::instanceOf)
                .build(), context);
        source.addIndexers(Map.of(BY_INSTANCE_UID, s -> s.getMetadata().getLabels() == null
                || s.getMetadata().getLabels().get(Labels.INSTANCE_UID) == null
                ? List.of() : List.of(s.getMetadata().getLabels().get(Labels.INSTANCE_UID))));
        writer = new SecretWriter(client, source, metrics);
        return source;
    }

    private static Set<ResourceID> instanceOf(Secret secret) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        if (annotations == null || annotations.get(Labels.INSTANCE_NAME_ANNOTATION) == null
                || annotations.get(Labels.INSTANCE_NAMESPACE_ANNOTATION) == null) {
            return Set.of();
        }
        return Set.of(new ResourceID(annotations.get(Labels.INSTANCE_NAME_ANNOTATION), annotations.get(Labels.INSTANCE_NAMESPACE_ANNOTATION)));
    }

    /**
     * Makes the instance's published entries what the plan says, on {@code node} only.
     *
     * @param node    where the instance runs; null: nowhere (its Secrets are deleted)
     * @param entries the plan's {@link io.peerwarden.core.plan.InstancePlan#nodeKeys()}; empty: nothing to publish
     * @return true when something was written or deleted
     */
    boolean publish(VpnInstance instance, String node, Map<String, String> entries) {
        String uid = instance.getMetadata().getUid();
        List<DesiredSecret> desired = node == null || entries.isEmpty() ? List.of()
                : NodeKeys.shards(releaseNamespace, node, instance.getMetadata().getNamespace(), instance.getMetadata().getName(),
                uid, entries);
        Map<String, Map<String, String>> existing = new HashMap<>();
        for (Secret indexed : source.byIndex(BY_INSTANCE_UID, uid)) {
            // get() prefers the copy this operator just wrote over the informer's
            Secret current = source.get(ResourceID.fromResource(indexed)).orElse(indexed);
            existing.put(current.getMetadata().getName(), current.getData() == null ? Map.of() : current.getData());
        }
        NodeKeys.Changes changes = NodeKeys.diff(desired, existing);
        boolean wrote = false;
        for (DesiredSecret shard : changes.write()) {
            wrote |= writer.write(shard, null);
        }
        for (String name : changes.delete()) {
            writer.delete(releaseNamespace, name);
            wrote = true;
        }
        return wrote;
    }

    /**
     * Deletes the node keys of instances that no longer exist (deleted while no operator ran, so no delete event
     * withdrew them): linear in the node-keys Secrets, which are at most {@link NodeKeys#SHARDS} per instance.
     *
     * @param liveUids the UIDs of every instance in the (synced) cache
     */
    void pruneOrphans(Set<String> liveUids) {
        source.list().filter(s -> s.getMetadata().getLabels() != null
                        && !liveUids.contains(s.getMetadata().getLabels().get(Labels.INSTANCE_UID)))
                .forEach(s -> writer.delete(releaseNamespace, s.getMetadata().getName()));
    }

    /** The instance is gone: its entries go on every node. */
    boolean withdraw(VpnInstance instance) {
        return publish(instance, null, Map.of());
    }
}
