package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.Counter;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.peerwarden.operator.OperatorHarness.decoded;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static io.peerwarden.operator.RealNamespace.writers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two operator replicas with leader election against one real API server, as a Deployment with
 * {@code operator.replicas: 2} runs them: only the holder of the Lease writes; when it stops, the
 * standby takes over within the lease duration and carries on with the same keys and addresses.
 */
class LeaderElectionRealApiIT {

    private static final String FIRST = "peerwarden-operator-first";
    private static final String SECOND = "peerwarden-operator-second";

    private RealNamespace ns;

    @BeforeEach
    void namespace() {
        ns = RealNamespace.create("leader");
    }

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    @Test
    void onlyTheLeaderWritesAndTheStandbyTakesOverWithTheSameKeysAndAddresses() {
        PeerwardenOperator first = ns.startOperator(FIRST, ns.settings(true));
        awaitLeader(first);
        PeerwardenOperator second = ns.startOperator(SECOND, ns.settings(true));
        ns.create(instance("office", "10.24.0.1/24"));
        List<String> before = List.of("alice", "bob", "carol");
        before.forEach(name -> ns.create(peer(name, "office", "client")));

        Map<String, String> keysBefore = before.stream().collect(Collectors.toMap(n -> n, n -> keysOf(ns.awaitPeer(n, rendered()))));
        String serverKey = ns.instance("office").getStatus().getPublicKey();
        assertThat(reconciles(first)).as("the leader works").isPositive();
        assertThat(reconciles(second)).as("the standby only waits").isZero();
        assertThat(writersOf(before, "office")).as("the leader wrote, the standby did not").contains(FIRST).doesNotContain(SECOND);
        assertThat(holder()).isEqualTo(first.leaseIdentity().orElseThrow());

        long stopped = System.nanoTime();
        first.close();
        awaitLeader(second);
        Duration handOver = Duration.ofNanos(System.nanoTime() - stopped);
        // a stopping leader hands the Lease back: without that, the standby would wait until it expires
        assertThat(handOver).as("the standby took over well within the lease duration").isLessThan(LeaderLease.DURATION.dividedBy(2));

        List<String> after = List.of("dave", "erin");
        after.forEach(name -> ns.create(peer(name, "office", "client")));
        after.forEach(name -> ns.awaitPeer(name, rendered()));
        assertThat(writersOf(after)).contains(SECOND).doesNotContain(FIRST);
        assertThat(reconciles(second)).isPositive();

        List<String> everyone = Stream.concat(before.stream(), after.stream()).toList();
        List<String> addresses = everyone.stream().flatMap(n -> ns.peer(n).getStatus().getAllowedIPs().stream()).toList();
        assertThat(addresses).as("no address handed out twice").doesNotHaveDuplicates().hasSize(everyone.size());
        assertThat(before.stream().collect(Collectors.toMap(n -> n, n -> keysOf(ns.peer(n))))).isEqualTo(keysBefore);
        assertThat(ns.instance("office").getStatus().getPublicKey()).isEqualTo(serverKey);
    }

    private void awaitLeader(PeerwardenOperator operator) {
        String identity = operator.leaseIdentity().orElseThrow();
        await().atMost(LeaderLease.DURATION.plus(LeaderLease.RETRY_PERIOD.multipliedBy(3))).pollInterval(Duration.ofMillis(100))
                .until(() -> identity.equals(holder()));
    }

    private String holder() {
        Lease lease = ns.admin.leases().inNamespace(ns.name).withName(OperatorSettings.LEASE_NAME).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    /** Address, public key, private and preshared key: what a client's config depends on. */
    private String keysOf(VpnPeer peer) {
        var secret = ns.secret(peer.getStatus().getConfigSecretName()).orElseThrow();
        return peer.getStatus().getAllowedIPs() + " " + peer.getStatus().getPublicKey() + " "
                + decoded(secret, Labels.PRIVATE_KEY) + " " + decoded(secret, Labels.PRESHARED_KEY);
    }

    /** The field managers of the peers' status and config Secrets, and of the named instances. */
    private List<String> writersOf(List<String> peers, String... instances) {
        List<HasMetadata> written = new ArrayList<>();
        for (String peer : peers) {
            written.add(ns.peer(peer));
            written.add(ns.secret(Labels.peerConfigSecretName(peer)).orElseThrow());
        }
        for (String instance : instances) {
            written.add(ns.instance(instance));
        }
        return written.stream().flatMap(r -> writers(r).stream()).map(w -> w.replace("/status", "")).distinct().toList();
    }

    private static double reconciles(PeerwardenOperator operator) {
        return operator.metrics().registry().find("peerwarden_reconciles_total").counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
