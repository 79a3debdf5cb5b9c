package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.PresharedKeySpec;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.node.NodeKeys;
import io.peerwarden.testing.RecordingDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.peerwarden.operator.OperatorHarness.NS;
import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.decoded;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the operator publishes for each node's agent (in its release namespace): exactly that node's server keys
 * and its peers' preshared keys, never a client's private key; written only on change, following peers and
 * instances as they go or move. And the Secrets the operator itself reads: its own by a selected informer, a
 * user's by name.
 */
class NodeKeysPublishedTest {

    private static final String RELEASE = "peerwarden-system";
    private final OperatorHarness harness = new OperatorHarness();

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private void start() {
        harness.startOperator(OperatorSettings.forTests().withReleaseNamespace(RELEASE));
    }

    /** The node's published entries (entry → decoded value), merged over its Secrets. */
    private Map<String, String> published(String node) {
        Map<String, String> entries = new HashMap<>();
        for (Secret secret : nodeKeySecrets(node)) {
            secret.getData().forEach((k, v) -> entries.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return entries;
    }

    private List<Secret> nodeKeySecrets(String node) {
        return harness.admin.secrets().inNamespace(RELEASE).withLabels(NodeKeys.selector(node)).list().getItems();
    }

    private static String uid(VpnPeer peer) {
        return peer.getMetadata().getUid();
    }

    @Test
    void aNodesKeySecretsHoldExactlyItsServerKeysAndPresharedKeysAndNoClientPrivateKey() {
        start();
        VpnInstance office = harness.create(instance("office", "10.24.0.1/24"));
        VpnInstance elsewhere = instance("elsewhere", "10.25.0.1/24");
        elsewhere.getSpec().setNodeName("worker-2");
        harness.create(elsewhere);
        harness.create(peer("alice", "office", "client"));
        VpnPeer bob = peer("bob", "office", "client");
        bob.getSpec().setPresharedKey(new PresharedKeySpec(PresharedKeySpec.NONE, null));
        harness.create(bob);
        VpnPeer intruder = peer("intruder", "office", "client");
        intruder.getSpec().setAllowedIPs(List.of("10.24.0.200/32"));
        harness.create(intruder);
        VpnPeer holder = peer("holder", "office", "client");
        holder.getSpec().setAllowedIPs(List.of("10.24.0.200/32"));
        harness.create(holder);
        harness.create(peer("carol", "elsewhere", "client"));
        VpnPeer alice = harness.awaitPeer("alice", rendered());
        bob = harness.awaitPeer("bob", rendered());
        VpnPeer carol = harness.awaitPeer("carol", rendered());
        harness.awaitPeer("intruder", condition("Valid", "False", "AllowedIPTaken"));
        holder = harness.awaitPeer("holder", rendered());
        String serverKey = decoded(harness.secret(Labels.instanceKeySecretName("office")).orElseThrow(), Labels.PRIVATE_KEY);
        String alicePsk = decoded(harness.secret(alice.getStatus().getConfigSecretName()).orElseThrow(), Labels.PRESHARED_KEY);
        String holderPsk = decoded(harness.secret(holder.getStatus().getConfigSecretName()).orElseThrow(), Labels.PRESHARED_KEY);

        Map<String, String> expected = Map.of(
                NodeKeys.instanceEntry(office.getMetadata().getUid()), serverKey,
                NodeKeys.peerEntry(uid(alice)), alicePsk,
                NodeKeys.peerEntry(uid(holder)), holderPsk,
                NodeKeys.peerEntry(uid(bob)), "");
        await("worker-1's keys").atMost(Duration.ofSeconds(30)).until(() -> published("worker-1").equals(expected));
        assertThat(published("worker-2")).as("the other node's instance and peer, not worker-1's")
                .containsOnlyKeys(NodeKeys.instanceEntry(harness.instance("elsewhere").getMetadata().getUid()),
                        NodeKeys.peerEntry(uid(carol)));
        for (String peer : List.of("alice", "holder", "carol")) {
            String clientKey = decoded(harness.secret(Labels.peerConfigSecretName(peer)).orElseThrow(), Labels.PRIVATE_KEY);
            assertThat(WireGuardKeys.isValid(clientKey)).isTrue();
            assertThat(published("worker-1").values()).doesNotContain(clientKey);
            assertThat(published("worker-2").values()).doesNotContain(clientKey);
        }
        assertThat(nodeKeySecrets("worker-1")).allSatisfy(s -> {
            assertThat(s.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                    .containsEntry(Labels.COMPONENT, Labels.COMPONENT_NODE_KEYS).containsEntry(Labels.NODE, "worker-1");
            assertThat(s.getMetadata().getOwnerReferences()).isEmpty();
        });
    }

    @Test
    void anUnchangedReconcileWritesNoNodeKeysAndAPeerThatGoesTakesItsEntryAlong() {
        start();
        VpnInstance office = harness.create(instance("office", "10.24.0.1/24"));
        harness.create(peer("alice", "office", "client"));
        harness.create(peer("bob", "office", "client"));
        VpnPeer alice = harness.awaitPeer("alice", rendered());
        VpnPeer bob = harness.awaitPeer("bob", rendered());
        await().atMost(Duration.ofSeconds(30)).until(() -> published("worker-1").size() == 3);
        harness.awaitQuiet(Duration.ofMillis(500));

        int mark = harness.cluster.requests().size();
        harness.resyncInstancesOnWorker1();
        harness.awaitQuiet(Duration.ofMillis(500));
        assertThat(harness.operatorWritesSince(mark)).as("writes of an unchanged reconcile").isEmpty();

        harness.admin.resources(VpnPeer.class).inNamespace(NS).withName("alice").delete();
        await("alice's entry goes").atMost(Duration.ofSeconds(30))
                .until(() -> !published("worker-1").containsKey(NodeKeys.peerEntry(uid(alice))));
        assertThat(published("worker-1")).containsOnlyKeys(NodeKeys.instanceEntry(office.getMetadata().getUid()),
                NodeKeys.peerEntry(uid(bob)));
    }

    @Test
    void anInstanceMovedToAnotherNodeTakesItsKeysAlongAndADeletedOneLeavesNoNodeKeys() {
        start();
        VpnInstance office = harness.create(instance("office", "10.24.0.1/24"));
        harness.create(peer("alice", "office", "client"));
        VpnPeer alice = harness.awaitPeer("alice", rendered());
        await().atMost(Duration.ofSeconds(30)).until(() -> published("worker-1").size() == 2);

        harness.admin.resources(VpnInstance.class).inNamespace(NS).withName("office").edit(i -> {
            i.getSpec().setNodeName("worker-2");
            return i;
        });
        await("the keys move to worker-2").atMost(Duration.ofSeconds(30)).until(() -> nodeKeySecrets("worker-1").isEmpty()
                && published("worker-2").keySet().equals(java.util.Set.of(NodeKeys.instanceEntry(office.getMetadata().getUid()),
                NodeKeys.peerEntry(uid(alice)))));

        harness.admin.resources(VpnInstance.class).inNamespace(NS).withName("office").delete();
        await("no node keys left").atMost(Duration.ofSeconds(30))
                .until(() -> harness.admin.secrets().inNamespace(RELEASE).list().getItems().isEmpty());
    }

    @Test
    void aShardEditedOrDeletedBySomeoneElseIsRepairedAndLaterChangesStillReachIt() {
        start();
        VpnInstance office = harness.create(instance("office", "10.24.0.1/24"));
        for (int i = 0; i < 12; i++) {
            harness.create(peer("p" + i, "office", "client"));
        }
        for (int i = 0; i < 12; i++) {
            harness.awaitPeer("p" + i, rendered());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> published("worker-1").size() == 13);
        harness.awaitQuiet(Duration.ofMillis(500));
        Map<String, String> before = published("worker-1");
        List<Secret> shards = nodeKeySecrets("worker-1");
        assertThat(shards).as("the entries spread over several shards").hasSizeGreaterThan(2);

        // someone else empties one shard's data and deletes another: both come back as they were
        Secret edited = shards.get(0);
        Secret deleted = shards.get(1);
        harness.admin.secrets().inNamespace(RELEASE).withName(edited.getMetadata().getName())
                .edit(s -> new SecretBuilder(s).withData(Map.of("peer.forged", "Zm9yZ2Vk")).build());
        harness.admin.secrets().inNamespace(RELEASE).withName(deleted.getMetadata().getName()).delete();
        await("the shards are repaired").atMost(Duration.ofSeconds(30)).until(() -> published("worker-1").equals(before));

        // a change after the repair (a new peer) lands in its shard, and nothing else moves
        VpnPeer late = harness.create(peer("late", "office", "client"));
        late = harness.awaitPeer("late", rendered());
        String latePsk = decoded(harness.secret(late.getStatus().getConfigSecretName()).orElseThrow(), Labels.PRESHARED_KEY);
        Map<String, String> expected = new HashMap<>(before);
        expected.put(NodeKeys.peerEntry(uid(late)), latePsk);
        await("the new peer's entry").atMost(Duration.ofSeconds(30)).until(() -> published("worker-1").equals(expected));
        assertThat(published("worker-1")).containsEntry(NodeKeys.instanceEntry(office.getMetadata().getUid()),
                before.get(NodeKeys.instanceEntry(office.getMetadata().getUid())));
    }

    @Test
    void theKeysOfAnInstanceDeletedWhileTheOperatorWasDownAreRemovedWhenItComesBack() {
        start();
        harness.create(instance("gone", "10.24.0.1/24"));
        VpnInstance stays = instance("stays", "10.25.0.1/24");
        stays.getSpec().setNodeName("worker-2");
        harness.create(stays);
        await().atMost(Duration.ofSeconds(30)).until(() -> published("worker-1").size() == 1 && published("worker-2").size() == 1);

        harness.stopOperator();
        harness.admin.resources(VpnInstance.class).inNamespace(NS).withName("gone").delete();
        start();

        await("the leftover keys go").atMost(Duration.ofSeconds(30)).until(() -> nodeKeySecrets("worker-1").isEmpty());
        assertThat(published("worker-2")).containsOnlyKeys(NodeKeys.instanceEntry(harness.instance("stays").getMetadata().getUid()));
    }

    @Test
    void theOperatorListsAndWatchesOnlyItsOwnSecretsAndReadsAUsersSecretByName() {
        String userKey = WireGuardKeys.generatePrivateKey();
        harness.admin.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("user-key").endMetadata()
                .addToData(Labels.PRIVATE_KEY, Base64.getEncoder().encodeToString(userKey.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        harness.admin.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("unrelated").endMetadata()
                .addToData("token", "c2VjcmV0").build()).create();
        start();
        VpnInstance byo = instance("byo", "10.25.0.1/24");
        byo.getSpec().setPrivateKeySecretRef(new SecretKeyRef("user-key", null));
        harness.create(byo);
        harness.create(peer("alice", "byo", "client"));
        harness.awaitPeer("alice", rendered());
        assertThat(harness.instance("byo").getStatus().getPublicKey()).isEqualTo(WireGuardKeys.publicKeyOf(userKey));

        List<RecordingDispatcher.Call> secretReads = harness.cluster.requests().calls().stream()
                .filter(c -> OperatorHarness.OPERATOR_AGENT.equals(c.userAgent()) && "GET".equals(c.method())
                        && c.path().matches("/api/v1/(namespaces/[^/]+/)?secrets.*")).toList();
        List<RecordingDispatcher.Call> listsAndWatches = secretReads.stream()
                .filter(c -> c.path().matches("/api/v1/(namespaces/[^/]+/)?secrets(\\?.*)?")).toList();
        assertThat(listsAndWatches).as("Secret lists and watches").isNotEmpty().allSatisfy(c ->
                assertThat(URLDecoder.decode(c.path(), StandardCharsets.UTF_8)).contains("labelSelector=" + Labels.MANAGED_BY + "=peerwarden"));
        assertThat(secretReads).extracting(RecordingDispatcher.Call::path)
                .as("the user's Secret, by name").anyMatch(p -> p.startsWith("/api/v1/namespaces/" + NS + "/secrets/user-key"))
                .as("a Secret nobody references").noneMatch(p -> p.contains("unrelated"));
    }

    @Test
    void aChangedUserSecretIsPickedUpAtTheNextResync() {
        String first = WireGuardKeys.generatePrivateKey();
        String second = WireGuardKeys.generatePrivateKey();
        harness.admin.secrets().inNamespace(NS).resource(userKeySecret(first)).create();
        harness.startOperator(OperatorSettings.forTests().withReleaseNamespace(RELEASE).withResync(Duration.ofSeconds(2)));
        VpnInstance byo = instance("byo", "10.25.0.1/24");
        byo.getSpec().setPrivateKeySecretRef(new SecretKeyRef("user-key", null));
        harness.create(byo);
        harness.awaitInstance("byo", i -> i.getStatus() != null && WireGuardKeys.publicKeyOf(first).equals(i.getStatus().getPublicKey()));

        harness.admin.secrets().inNamespace(NS).resource(userKeySecret(second)).update();
        harness.awaitInstance("byo", i -> WireGuardKeys.publicKeyOf(second).equals(i.getStatus().getPublicKey()));
        String uid = harness.instance("byo").getMetadata().getUid();
        await().atMost(Duration.ofSeconds(30)).until(() -> second.equals(published("worker-1").get(NodeKeys.instanceEntry(uid))));
    }

    private static Secret userKeySecret(String key) {
        return new SecretBuilder().withNewMetadata().withName("user-key").withNamespace(NS).endMetadata()
                .addToData(Labels.PRIVATE_KEY, Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))).build();
    }
}
