package io.peerwarden.core.node;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.plan.DesiredSecret;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Which node-key entries go into which Secret, and what a change writes. */
class NodeKeysTest {

    private static final String INSTANCE_UID = "6f1c2a3e-0000-4000-8000-000000000001";
    private static final int LIMIT = 512 * 1024;

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** An instance's entries: its key and {@code peers} preshared keys, by fresh UIDs. */
    private static Map<String, String> entries(int peers) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(NodeKeys.instanceEntry(INSTANCE_UID), b64(WireGuardKeys.generatePrivateKey()));
        for (int i = 0; i < peers; i++) {
            entries.put(NodeKeys.peerEntry(UUID.randomUUID().toString()), b64(WireGuardKeys.generatePresharedKey()));
        }
        return entries;
    }

    private static List<DesiredSecret> shards(String node, Map<String, String> entries) {
        return NodeKeys.shards("peerwarden", node, "team-a", "office", INSTANCE_UID, entries);
    }

    /** The Secret as it is sent to the API server (JSON), for its size. */
    private static int bytes(DesiredSecret shard) {
        Secret secret = new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(shard.name()).withNamespace(shard.namespace())
                .withLabels(shard.labels()).withAnnotations(shard.annotations()).build()).withType("Opaque").withData(shard.data()).build();
        return Serialization.asJson(secret).getBytes(StandardCharsets.UTF_8).length;
    }

    private static Map<String, Map<String, String>> existing(List<DesiredSecret> shards) {
        Map<String, Map<String, String>> existing = new HashMap<>();
        shards.forEach(s -> existing.put(s.name(), new HashMap<>(s.data())));
        return existing;
    }

    @Test
    void atTenThousandPeersEveryShardStaysFarBelow512KiB() {
        List<DesiredSecret> shards = shards("worker-1", entries(10_000));

        assertThat(shards).hasSize(NodeKeys.SHARDS);
        assertThat(shards.stream().mapToInt(s -> s.data().size()).sum()).isEqualTo(10_001);
        int largest = shards.stream().mapToInt(NodeKeysTest::bytes).max().orElseThrow();
        assertThat(largest).as("largest shard, bytes").isLessThan(LIMIT / 2);
        System.out.printf("node keys at 10,000 peers: %d shards, largest %d bytes (limit %d)%n", shards.size(), largest, LIMIT);
    }

    @Test
    void theShardsHoldExactlyTheEntriesAndAreLabelledForTheNodesAgent() {
        Map<String, String> entries = entries(40);
        List<DesiredSecret> shards = shards("worker-1", entries);

        Map<String, String> merged = new HashMap<>();
        shards.forEach(s -> merged.putAll(s.data()));
        assertThat(merged).isEqualTo(entries);
        assertThat(shards).allSatisfy(s -> {
            assertThat(s.namespace()).isEqualTo("peerwarden");
            assertThat(s.labels()).containsAllEntriesOf(NodeKeys.selector("worker-1"))
                    .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).containsEntry(Labels.INSTANCE_UID, INSTANCE_UID);
            assertThat(s.annotations()).containsEntry(Labels.INSTANCE_NAME_ANNOTATION, "office")
                    .containsEntry(Labels.INSTANCE_NAMESPACE_ANNOTATION, "team-a");
            assertThat(s.ownerPeer()).isNull();
            assertThat(s.data().keySet()).allMatch(k -> k.matches("(instance|peer)\\.[-0-9a-f]+"));
        });
        assertThat(shards).extracting(DesiredSecret::name).doesNotHaveDuplicates();
    }

    @Test
    void longNodeNamesGiveValidBoundedNamesAndLabels() {
        String node = "n".repeat(240) + ".example.com";
        List<DesiredSecret> shards = shards(node, entries(20));

        assertThat(shards).allSatisfy(s -> {
            assertThat(s.name().length()).isLessThanOrEqualTo(253);
            assertThat(s.labels().get(Labels.NODE).length()).isLessThanOrEqualTo(63);
        });
        assertThat(shards).extracting(DesiredSecret::name).doesNotHaveDuplicates();
    }

    @Test
    void nothingChangedMeansNothingToWrite() {
        List<DesiredSecret> shards = shards("worker-1", entries(100));

        assertThat(NodeKeys.diff(shards, existing(shards)).isEmpty()).isTrue();
    }

    @Test
    void oneNewPeerRewritesOneShardOnly() {
        Map<String, String> entries = entries(100);
        Map<String, Map<String, String>> before = existing(shards("worker-1", entries));
        entries.put(NodeKeys.peerEntry(UUID.randomUUID().toString()), b64(WireGuardKeys.generatePresharedKey()));

        NodeKeys.Changes changes = NodeKeys.diff(shards("worker-1", entries), before);

        assertThat(changes.write()).hasSize(1);
        assertThat(changes.delete()).isEmpty();
    }

    @Test
    void aRemovedPeerLeavesItsShardAndAnEmptiedShardIsDeleted() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(NodeKeys.instanceEntry(INSTANCE_UID), b64(WireGuardKeys.generatePrivateKey()));
        String loner = null;
        // a peer alone in its shard
        while (loner == null) {
            String candidate = NodeKeys.peerEntry(UUID.randomUUID().toString());
            if (NodeKeys.shardOf(candidate) != NodeKeys.shardOf(NodeKeys.instanceEntry(INSTANCE_UID))) {
                loner = candidate;
            }
        }
        entries.put(loner, "");
        Map<String, Map<String, String>> before = existing(shards("worker-1", entries));
        entries.remove(loner);

        NodeKeys.Changes changes = NodeKeys.diff(shards("worker-1", entries), before);

        assertThat(changes.write()).isEmpty();
        assertThat(changes.delete()).containsExactly(NodeKeys.secretName("worker-1", INSTANCE_UID, NodeKeys.shardOf(loner)));
    }

    @Test
    void anInstanceMovedToAnotherNodeIsWrittenThereAndDeletedHere() {
        Map<String, String> entries = entries(30);
        List<DesiredSecret> onWorker1 = shards("worker-1", entries);

        NodeKeys.Changes changes = NodeKeys.diff(shards("worker-2", entries), existing(onWorker1));

        assertThat(changes.write()).allSatisfy(s -> assertThat(s.labels()).containsEntry(Labels.NODE, "worker-2"));
        assertThat(changes.write().stream().mapToInt(s -> s.data().size()).sum()).isEqualTo(31);
        assertThat(changes.delete()).containsExactlyInAnyOrderElementsOf(
                onWorker1.stream().map(DesiredSecret::name).collect(Collectors.toList()));
        assertThat(NodeKeys.diff(List.of(), existing(onWorker1)).delete()).as("an instance gone").hasSize(onWorker1.size());
    }

    @Test
    void anEntrysShardDependsOnlyOnItsUid() {
        String uid = UUID.randomUUID().toString();
        assertThat(NodeKeys.shardOf(NodeKeys.peerEntry(uid))).isEqualTo(NodeKeys.shardOf(NodeKeys.peerEntry(uid)))
                .isEqualTo(NodeKeys.shardOf(NodeKeys.instanceEntry(uid))).isBetween(0, NodeKeys.SHARDS - 1);
    }
}
