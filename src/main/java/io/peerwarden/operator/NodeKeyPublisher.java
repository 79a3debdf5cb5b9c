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
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

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
    /** By instance UID; each instance's entry used by its reconcile only (never two at once). */
    private final Map<String, Published> published = new ConcurrentHashMap<>();

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
     * @param changed the entries the plan may have changed ({@link io.peerwarden.core.plan.InstancePlan#nodeKeysChanged()}),
     *                or null when any may have: then every shard is compared with what exists
     * @return true when something was written or deleted
     */
    boolean publish(VpnInstance instance, String node, Map<String, String> entries, Set<String> changed) {
        String uid = instance.getMetadata().getUid();
        Published last = published.get(uid);
        if (node == null || entries.isEmpty() || changed == null || last == null || !last.node.equals(node)) {
            published.remove(uid);
            List<TreeMap<String, String>> shards = node == null || entries.isEmpty() ? List.of() : NodeKeys.split(entries);
            boolean wrote = publishWhole(instance, node, shards);
            if (!shards.isEmpty()) {
                published.put(uid, new Published(node, shards, versions(node, uid)));
            }
            return wrote;
        }
        // O(changed): only the shards the change reaches, and any a foreign hand changed since (its version moved)
        boolean[] reached = new boolean[NodeKeys.SHARDS];
        for (String entry : changed) {
            int shard = NodeKeys.shardOf(entry);
            String value = entries.get(entry);
            if (value == null) {
                last.shards.get(shard).remove(entry);
            } else {
                last.shards.get(shard).put(entry, value);
            }
            reached[shard] = true;
        }
        try {
            return publishReached(instance, node, last, reached, changed);
        } catch (RuntimeException e) {
            published.remove(uid); // half applied: the next publish compares every shard again
            throw e;
        }
    }

    private boolean publishReached(VpnInstance instance, String node, Published last, boolean[] reached, Set<String> changed) {
        String uid = instance.getMetadata().getUid();
        boolean wrote = false;
        for (int shard = 0; shard < NodeKeys.SHARDS; shard++) {
            String name = NodeKeys.secretName(node, uid, shard);
            Secret current = current(name);
            String version = current == null ? null : current.getMetadata().getResourceVersion();
            boolean asLeft = Objects.equals(version, last.versions[shard]);
            if (asLeft && (!reached[shard] || holdsChanged(current, last.shards.get(shard), changed, shard))) {
                continue;
            }
            Map<String, String> wanted = last.shards.get(shard);
            if (wanted.isEmpty()) {
                if (current != null) {
                    writer.delete(releaseNamespace, name);
                    wrote = true;
                }
                // the deleted copy's version: until the informer sees the deletion, the cache still shows it as left
                last.versions[shard] = version;
                continue;
            }
            DesiredSecret desired = NodeKeys.shard(releaseNamespace, node, instance.getMetadata().getNamespace(),
                    instance.getMetadata().getName(), uid, shard, new TreeMap<>(wanted));
            String written = writer.written(desired, null);
            wrote |= written != null;
            last.versions[shard] = written != null ? written : version;
        }
        return wrote;
    }

    /** Whether the Secret (as this operator left it) already holds the changed entries of its shard as wanted. */
    private static boolean holdsChanged(Secret current, Map<String, String> wanted, Set<String> changed, int shard) {
        Map<String, String> data = current == null || current.getData() == null ? Map.of() : current.getData();
        if (current == null && !wanted.isEmpty()) {
            return false;
        }
        for (String entry : changed) {
            if (NodeKeys.shardOf(entry) == shard && !Objects.equals(data.get(entry), wanted.get(entry))) {
                return false;
            }
        }
        return true;
    }

    /** Every shard against what exists ({@code shards} empty: the instance publishes nothing, its Secrets go). */
    private boolean publishWhole(VpnInstance instance, String node, List<TreeMap<String, String>> shards) {
        String uid = instance.getMetadata().getUid();
        List<DesiredSecret> desired = NodeKeys.shards(releaseNamespace, node, instance.getMetadata().getNamespace(),
                instance.getMetadata().getName(), uid, shards);
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

    /** The node-keys Secret of that name as this operator last wrote or saw it, or null. */
    private Secret current(String name) {
        return source.get(new ResourceID(name, releaseNamespace)).orElse(null);
    }

    /** Each shard's Secret's resourceVersion as the cache has it now (null: none). */
    private String[] versions(String node, String uid) {
        String[] versions = new String[NodeKeys.SHARDS];
        for (int shard = 0; shard < NodeKeys.SHARDS; shard++) {
            Secret current = current(NodeKeys.secretName(node, uid, shard));
            versions[shard] = current == null ? null : current.getMetadata().getResourceVersion();
        }
        return versions;
    }

    /**
     * What was published for one instance after a whole comparison, kept so that a change reaches only its shards:
     * each shard's entries, and the resourceVersion its Secret had when it held exactly them (null: no Secret). A
     * shard whose Secret shows another version was changed by someone else and is compared whole again.
     */
    private record Published(String node, List<TreeMap<String, String>> shards, String[] versions) {
    }

    /**
     * Deletes the node keys of instances that no longer exist (deleted while no operator ran, so no delete event
     * withdrew them): linear in the node-keys Secrets, which are at most {@link NodeKeys#SHARDS} per instance.
     *
     * @param liveUids the UIDs of every instance in the (synced) cache
     */
    void pruneOrphans(Set<String> liveUids) {
        published.keySet().retainAll(liveUids);
        source.list().filter(s -> s.getMetadata().getLabels() != null
                        && !liveUids.contains(s.getMetadata().getLabels().get(Labels.INSTANCE_UID)))
                .forEach(s -> writer.delete(releaseNamespace, s.getMetadata().getName()));
    }

    /** The instance is gone: its entries go on every node. */
    boolean withdraw(VpnInstance instance) {
        return publish(instance, null, Map.of(), null);
    }
}
