package io.peerwarden.operator;

import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.testing.RecordingDispatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.peerwarden.core.node.NodeKeys;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.stream.IntStream;

import static io.peerwarden.operator.OperatorHarness.NS;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With 1,000 rendered peers in one instance, what one change costs: one peer's spec change is planned alone and written
 * as its Secret and its status; a new peer is planned alone; a real resync (every peer planned again: a node label
 * change, an operator restart) of the unchanged group writes nothing. Counts, not times. One rollout for all three
 * (it takes most of the time), in this order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IncrementalReconcileTest {

    private static final int PEERS = 1_000;

    private OperatorHarness harness;

    @BeforeAll
    void start() {
        harness = new OperatorHarness().startOperator();
        harness.create(instance("big", "10.40.0.1/16"));
        IntStream.range(0, PEERS).parallel().forEach(i -> harness.create(peer("p" + i, "big", "client")));
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() ->
                harness.admin.resources(VpnPeer.class).inNamespace(NS).list().getItems().stream().filter(rendered()).count() == PEERS);
        harness.awaitQuiet(Duration.ofSeconds(2));
        assertAggregatesMatchPeers(PEERS);
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    @Test
    @Order(1)
    void onePeersSpecChangeAmongAThousandIsPlannedAloneAndCostsItsSecretAndItsStatus() {
        VpnInstanceReconciler.PlanCounts before = reconciler().planCounts();
        int mark = harness.cluster.requests().size();

        harness.admin.resources(VpnPeer.class).inNamespace(NS).withName("p7").edit(p -> {
            p.getSpec().setDns(List.of("10.40.0.53"));
            return p;
        });
        harness.awaitPeer("p7", rendered().and(p -> p.getMetadata().getGeneration() == 2L));
        await().atMost(Duration.ofSeconds(30)).until(() -> OperatorHarness.decoded(
                harness.secret(Labels.peerConfigSecretName("p7")).orElseThrow(), Labels.CONFIG).contains("DNS = 10.40.0.53"));
        harness.awaitQuiet(Duration.ofSeconds(2));

        assertThat(writes(mark)).containsExactlyInAnyOrder(
                "PUT /api/v1/namespaces/default/secrets/p7-wireguard",
                "PATCH /apis/vpn.peerwarden.io/v1alpha1/namespaces/default/vpnpeers/p7/status");
        assertAggregatesMatchPeers(PEERS);
        VpnInstanceReconciler.PlanCounts after = reconciler().planCounts();
        assertThat(after.full()).as("plans of every peer").isEqualTo(before.full());
        assertThat(after.partial()).as("plans of changed peers").isGreaterThan(before.partial());
        assertThat(after.changedPeers() - before.changedPeers()).as("changed peers given to those plans, one each")
                .isEqualTo(after.partial() - before.partial());
    }

    @Test
    @Order(2)
    void aNewPeerAmongAThousandIsPlannedAloneAndCostsItsSecretItsStatusAndTheCountsItChanges() {
        VpnInstanceReconciler.PlanCounts before = reconciler().planCounts();
        int mark = harness.cluster.requests().size();

        harness.create(peer("newcomer", "big", "client"));
        harness.awaitPeer("newcomer", rendered());
        harness.awaitInstance("big", i -> i.getStatus().getPeers().getTotal() == PEERS + 1);
        harness.awaitQuiet(Duration.ofSeconds(2));

        // its config Secret and status; the node's keys gain its entry; the instance counts one peer more
        assertThat(writes(mark)).containsExactlyInAnyOrder(
                "POST /api/v1/namespaces/default/secrets",
                "PATCH /apis/vpn.peerwarden.io/v1alpha1/namespaces/default/vpnpeers/newcomer/status",
                "PUT node keys",
                "PATCH /apis/vpn.peerwarden.io/v1alpha1/namespaces/default/vpninstances/big/status");
        assertAggregatesMatchPeers(PEERS + 1);
        VpnInstanceReconciler.PlanCounts after = reconciler().planCounts();
        assertThat(after.full()).isEqualTo(before.full());
        // the newcomer planned alone, once or twice (its own Secret's event may mark it again); a reconcile that finds
        // nothing marked plans no one (its changed set is empty), never the group
        long partial = after.partial() - before.partial();
        assertThat(after.changedPeers() - before.changedPeers()).isPositive().isLessThanOrEqualTo(partial).isLessThanOrEqualTo(2);
    }

    @Test
    @Order(3)
    void aRealResyncOfAThousandUnchangedPeersPlansEveryPeerAndWritesNothing() {
        VpnInstanceReconciler.PlanCounts before = reconciler().planCounts();
        int mark = harness.cluster.requests().size();
        harness.resyncInstancesOnWorker1();
        harness.awaitQuiet(Duration.ofSeconds(2));
        assertThat(reconciler().planCounts().full()).as("plans of every peer").isGreaterThan(before.full());
        assertThat(writes(mark)).isEmpty();
        assertAggregatesMatchPeers(PEERS + 1);

        String publishedBefore = published();
        harness.stopOperator();
        mark = harness.cluster.requests().size();
        harness.startOperator();
        await().atMost(Duration.ofMinutes(2)).until(() -> reconciler().planCounts().full() >= 1
                && harness.reconciles(VpnInstanceReconciler.NAME) >= 1);
        harness.awaitQuiet(Duration.ofSeconds(2));
        String after = published();
        assertThat(writes(mark)).as("writes of the restarted operator; what changed:%n%s", difference(publishedBefore, after)).isEmpty();
    }

    /**
     * What the incrementally kept aggregates must say after every step: the node's keys hold an entry for every peer, with
     * the preshared key of its config Secret (the agent applies a rendered peer only with it), and none for anyone else;
     * the instance counts every peer.
     */
    private void assertAggregatesMatchPeers(int peers) {
        Map<String, String> published = new HashMap<>();
        harness.admin.secrets().inAnyNamespace().withLabel(Labels.COMPONENT, Labels.COMPONENT_NODE_KEYS).list().getItems()
                .forEach(s -> published.putAll(s.getData()));
        Map<String, String> configSecrets = new HashMap<>();
        harness.admin.secrets().inNamespace(NS).withLabel(Labels.COMPONENT, Labels.COMPONENT_PEER_CONFIG).list().getItems()
                .forEach(s -> configSecrets.put(s.getMetadata().getName(), s.getData().getOrDefault(Labels.PRESHARED_KEY, "")));
        Map<String, String> wanted = new HashMap<>();
        for (VpnPeer p : harness.admin.resources(VpnPeer.class).inNamespace(NS).list().getItems()) {
            wanted.put(NodeKeys.peerEntry(p.getMetadata().getUid()), configSecrets.get(Labels.peerConfigSecretName(p.getMetadata().getName())));
        }
        Map<String, String> publishedPeers = new HashMap<>(published);
        publishedPeers.keySet().removeIf(k -> !k.startsWith(NodeKeys.PEER_PREFIX));
        assertThat(wanted).as("peers").hasSize(peers).doesNotContainValue(null);
        assertThat(publishedPeers).as("the node's keys: an entry per peer with its config Secret's preshared key").isEqualTo(wanted);
        assertThat(harness.instance("big").getStatus().getPeers().getTotal()).as("the instance's peer count").isEqualTo(peers);
    }

    /** The node keys' entries (name and a hash of the value) and the instance's status, a line each, sorted. */
    private String published() {
        java.util.TreeSet<String> lines = new java.util.TreeSet<>();
        harness.admin.secrets().inAnyNamespace().withLabel(Labels.COMPONENT, Labels.COMPONENT_NODE_KEYS).list().getItems()
                .forEach(s -> s.getData().forEach((k, v) -> lines.add("key " + s.getMetadata().getName() + " " + k + " " + v.hashCode())));
        var status = harness.admin.resources(io.peerwarden.api.v1alpha1.VpnInstance.class).inNamespace(NS).withName("big").get().getStatus();
        lines.add("status " + io.peerwarden.kube.Serialization.asTree(status));
        return String.join("\n", lines);
    }

    private static String difference(String before, String after) {
        List<String> b = List.of(before.split("\n"));
        List<String> a = List.of(after.split("\n"));
        StringBuilder out = new StringBuilder();
        b.stream().filter(l -> !a.contains(l)).forEach(l -> out.append("- ").append(l).append('\n'));
        a.stream().filter(l -> !b.contains(l)).forEach(l -> out.append("+ ").append(l).append('\n'));
        return out.toString();
    }

    private VpnInstanceReconciler reconciler() {
        return harness.operator().instanceReconciler();
    }

    /** The operator's writes since the mark, as method and path; a write of one of the node's key Secrets as "node keys". */
    private List<String> writes(int mark) {
        List<String> nodeKeys = harness.admin.secrets().inAnyNamespace().withLabel(Labels.COMPONENT, Labels.COMPONENT_NODE_KEYS)
                .list().getItems().stream().map(s -> "/secrets/" + s.getMetadata().getName()).toList();
        return harness.operatorWritesSince(mark).stream().map(call -> describe(call, nodeKeys)).toList();
    }

    private static String describe(RecordingDispatcher.Call call, List<String> nodeKeys) {
        String path = call.path();
        int query = path.indexOf('?');
        String bare = query < 0 ? path : path.substring(0, query);
        return nodeKeys.stream().anyMatch(bare::endsWith) ? call.method() + " node keys" : call.method() + " " + bare;
    }
}
