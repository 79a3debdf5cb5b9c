package io.peerwarden.core.node;

import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.core.plan.DesiredSecret;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * What a node's agent is given to apply its instances, and nothing more: the server private key of each instance
 * placed on the node ({@code instance.<uid>}) and the preshared key of each rendered peer of those instances
 * ({@code peer.<uid>}; an empty value: the operator processed the peer and it has no preshared key). Never a
 * client's private key. The operator publishes them into Secrets in its release namespace, labelled with the node,
 * one set per instance, split into {@link #SHARDS} Secrets by a hash of the entry's UID: a change rewrites one
 * shard, and at 10,000 peers each shard stays far below the 512 KiB this project allows a Secret (about 140 KB, some
 * 110 bytes per entry; NodeKeysTest measures it).
 *
 * <p>Pure: which entries go where, and what to write or delete to get there from what exists.
 */
public final class NodeKeys {

    public static final int SHARDS = 8;
    public static final String INSTANCE_PREFIX = "instance.";
    public static final String PEER_PREFIX = "peer.";
    static final String NAME_PREFIX = "peerwarden-keys-";

    /** The agent's view of its node's published keys. */
    @FunctionalInterface
    public interface Lookup {
        /** The decoded value of a data entry ("" for a peer without a preshared key), or empty when not published. */
        Optional<String> find(String entry);
    }

    /** What to do to one instance's node-keys Secrets: write these (changed or new), delete those (by name). */
    public record Changes(List<DesiredSecret> write, List<String> delete) {
        public boolean isEmpty() {
            return write.isEmpty() && delete.isEmpty();
        }
    }

    private NodeKeys() {
    }

    public static String instanceEntry(String instanceUid) {
        return INSTANCE_PREFIX + instanceUid;
    }

    public static String peerEntry(String peerUid) {
        return PEER_PREFIX + peerUid;
    }

    /** The shard of an entry: a stable hash of the UID it is keyed by. */
    public static int shardOf(String entry) {
        CRC32 crc = new CRC32();
        crc.update(entry.substring(entry.indexOf('.') + 1).getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % SHARDS);
    }

    /** The labels an agent selects its node's Secrets by (with {@link Labels#MANAGED_BY}, which the operator's informer selects). */
    public static Map<String, String> selector(String node) {
        return Map.of(Labels.COMPONENT, Labels.COMPONENT_NODE_KEYS, Labels.NODE, Labels.labelValue(node));
    }

    public static String secretName(String node, String instanceUid, int shard) {
        return Labels.boundedName(NAME_PREFIX + node + "-" + instanceUid, "-" + shard);
    }

    /**
     * The Secrets that hold one instance's entries on its node: one per non-empty shard.
     *
     * @param entries data entry ({@link #instanceEntry}, {@link #peerEntry}) → value, base64 as stored
     */
    public static List<DesiredSecret> shards(String releaseNamespace, String node, String instanceNamespace, String instanceName,
                                             String instanceUid, Map<String, String> entries) {
        return shards(releaseNamespace, node, instanceNamespace, instanceName, instanceUid, split(entries));
    }

    /** As {@link #shards(String, String, String, String, String, Map)}, from entries already {@link #split}. */
    public static List<DesiredSecret> shards(String releaseNamespace, String node, String instanceNamespace, String instanceName,
                                             String instanceUid, List<? extends Map<String, String>> split) {
        List<DesiredSecret> result = new ArrayList<>();
        for (int i = 0; i < split.size(); i++) {
            if (!split.get(i).isEmpty()) {
                result.add(shard(releaseNamespace, node, instanceNamespace, instanceName, instanceUid, i, new TreeMap<>(split.get(i))));
            }
        }
        return result;
    }

    /** The entries by shard: {@link #SHARDS} maps, some maybe empty. */
    public static List<TreeMap<String, String>> split(Map<String, String> entries) {
        List<TreeMap<String, String>> shards = new ArrayList<>(SHARDS);
        for (int i = 0; i < SHARDS; i++) {
            shards.add(new TreeMap<>());
        }
        entries.forEach((entry, value) -> shards.get(shardOf(entry)).put(entry, value));
        return shards;
    }

    /** The Secret of one non-empty shard of an instance's entries on its node. */
    public static DesiredSecret shard(String releaseNamespace, String node, String instanceNamespace, String instanceName,
                                      String instanceUid, int shard, Map<String, String> data) {
        Map<String, String> labels = new TreeMap<>(selector(node));
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        labels.put(Labels.INSTANCE_UID, instanceUid);
        Map<String, String> annotations = Map.of(Labels.INSTANCE_NAME_ANNOTATION, instanceName,
                Labels.INSTANCE_NAMESPACE_ANNOTATION, instanceNamespace);
        return new DesiredSecret(releaseNamespace, secretName(node, instanceUid, shard), labels, annotations, data, null, false);
    }

    /**
     * From what exists to what is wanted: shards whose data differ are written, Secrets of the instance no longer
     * wanted (a shard that emptied, the shards on a node the instance left, all of them when it is gone) deleted.
     *
     * @param existing the instance's node-keys Secrets as they are, on any node: name → data
     */
    public static Changes diff(List<DesiredSecret> desired, Map<String, Map<String, String>> existing) {
        List<DesiredSecret> write = desired.stream()
                .filter(d -> !existing.containsKey(d.name()) || !Objects.equals(existing.get(d.name()), d.data()))
                .toList();
        List<String> delete = existing.keySet().stream()
                .filter(name -> desired.stream().noneMatch(d -> d.name().equals(name)))
                .sorted(Comparator.naturalOrder()).toList();
        return new Changes(write, delete);
    }
}
