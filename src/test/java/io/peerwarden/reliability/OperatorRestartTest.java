package io.peerwarden.reliability;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.operator.OperatorHarness;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.operator.PeerwardenOperator;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.FaultyApi;
import io.peerwarden.testing.SecretHistory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator killed in the middle of reconciling 500 peers, at several points: for the API server a
 * process is dead from the request it never sent on ({@link FaultyApi#cutOff}), and then it is closed.
 * A fresh operator each time; every key, preshared key and address survives all of them, and the fifth
 * one completes the group. Then every peer's status is wiped, and a fresh operator (nothing in memory)
 * rebuilds it identically from the Secrets.
 */
class OperatorRestartTest {

    static final int PEERS = Integer.getInteger("reliability.restart.peers", 500);
    private static final Pattern PEER_STATUS = Pattern.compile(".*/vpnpeers/[^/]+/status$");
    private static final Pattern INSTANCE_STATUS = Pattern.compile(".*/vpninstances/[^/]+/status$");

    private final Closer closer = new Closer();
    private OperatorHarness harness;
    private SecretHistory history;
    private FaultyApi api;

    @BeforeEach
    void setUp() throws Exception {
        harness = closer.add(new OperatorHarness());
        history = closer.add(new SecretHistory(harness.admin, OperatorHarness.NS));
        api = closer.add(new FaultyApi(URI.create(harness.admin.getConfiguration().getMasterUrl()), harness.admin.getHttpClient(),
                ApiFaultsTest.SEED, 0));
    }

    @AfterEach
    void tearDown() {
        closer.close();
    }

    /** From the {@code n+1}-th request matching {@code method} and {@code path} on, nothing reaches the API server. */
    private static Predicate<HttpRequest> after(int n, String method, Pattern path) {
        AtomicInteger seen = new AtomicInteger();
        return request -> method.equals(request.method()) && path.matcher(request.uri().getPath()).matches()
                && seen.incrementAndGet() > n;
    }

    /** An operator through the cut-able network; returns once it was cut off (or at once without a cut). */
    private void runUntilCut(String name, Predicate<HttpRequest> cut) {
        FaultyApi network = closer.add(newNetwork());
        network.cutOff(cut);
        KubernetesClient client = network.client(harness.admin.getConfiguration(), "peerwarden-operator-" + name);
        PeerwardenOperator operator = PeerwardenOperator.start(client, OperatorSettings.forTests());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(network::isCut);
        // killed: its connections go first, then the process winds down without reaching the server
        client.close();
        operator.close();
    }

    private FaultyApi newNetwork() {
        try {
            return new FaultyApi(URI.create(harness.admin.getConfiguration().getMasterUrl()), harness.admin.getHttpClient(),
                    ApiFaultsTest.SEED, 0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int peerStatusesWritten() {
        return (int) Group.peers(harness.admin, OperatorHarness.NS).stream()
                .filter(p -> p.getStatus() != null && p.getStatus().getAllowedIPs() != null).count();
    }

    @Test
    void killedAtSeveralPointsWhileReconciling500PeersKeepsEveryKeyAndAddressAndAWipedStatusIsRebuiltIdentically() {
        Group.createInstance(harness.admin, OperatorHarness.NS);
        Group.createPeers(harness.admin, OperatorHarness.NS, PEERS);
        Pattern secrets = Pattern.compile(".*/namespaces/[^/]+/secrets$");

        // 1: after 120 Secrets were created, most of their peers' statuses not yet written
        runUntilCut("1", after(120, "POST", secrets));
        int secretsAfter1 = history.first().size();
        int statusesAfter1 = peerStatusesWritten();
        // 2: after 100 more peer status writes: Secrets and statuses of other peers half done
        runUntilCut("2", after(100, "PATCH", PEER_STATUS));
        // 3: after 150 more Secrets
        runUntilCut("3", after(150, "POST", secrets));
        // 4: just before the first instance status write: every peer written, the instance not
        runUntilCut("4", after(0, "PATCH", INSTANCE_STATUS));
        int restarts = 4;

        closer.add(harness.startOperator());
        long started = System.nanoTime();
        Duration converged = FaultRun.awaitConverged(harness.admin, OperatorHarness.NS, PEERS, Duration.ofMinutes(2));
        assertThat(history.violations()).as("keys, preshared keys or addresses changed, or Secrets deleted").isEmpty();
        Group.State end = Group.state(harness.admin, OperatorHarness.NS);
        assertThat(end.secretKeys()).hasSize(PEERS + 1);
        Set<String> addresses = new HashSet<>();
        end.peers().values().forEach(p -> addresses.addAll(p.allowedIPs()));
        assertThat(addresses).hasSize(PEERS);
        // the first version of every Secret is what the end holds (SecretHistory checked every version in between)
        end.secretKeys().forEach((name, held) -> {
            SecretHistory.Held first = history.first().get(name);
            assertThat(held).as(name).isEqualTo(Group.held(first));
        });

        // status wiped from every peer, and no operator memory: rebuilt identically from the Secrets
        harness.awaitQuiet(Duration.ofSeconds(1));
        harness.stopOperator();
        for (VpnPeer peer : Group.peers(harness.admin, OperatorHarness.NS)) {
            harness.admin.resources(VpnPeer.class).inNamespace(OperatorHarness.NS).withName(peer.getMetadata().getName())
                    .editStatus(p -> {
                        p.setStatus(null);
                        return p;
                    });
        }
        assertThat(peerStatusesWritten()).isZero();
        harness.startOperator();
        Duration rebuilt = FaultRun.awaitConverged(harness.admin, OperatorHarness.NS, PEERS, Duration.ofMinutes(2));
        Group.State afterWipe = Group.state(harness.admin, OperatorHarness.NS);
        assertThat(Group.differences(end, afterWipe)).as("status rebuilt after the wipe").isEmpty();
        assertThat(afterWipe).isEqualTo(end);
        assertThat(history.violations()).isEmpty();

        FaultRun.record("restarts (mock): " + PEERS + " peers, operator killed " + restarts + " times (after 120 Secret creates: "
                + secretsAfter1 + " Secrets, " + statusesAfter1 + " peer statuses written; after 100 more status writes; after 150 more"
                + " Secret creates; before the first instance status write), the fifth completed in " + converged.toMillis()
                + " ms; status wiped from all " + PEERS + " peers rebuilt identically in " + rebuilt.toMillis()
                + " ms; keys, preshared keys, addresses changed: none");
        assertThat(started).isPositive();
    }
}
