package io.peerwarden.reliability;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.operator.PeerwardenOperator;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.FaultyApi;
import io.peerwarden.testing.SecretHistory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The restart scenario, for the mock and the real API server: the operator killed in the middle of
 * reconciling the group at four points (for the API server a process is dead from the request it never sent
 * on, {@link FaultyApi#cutOff}; then it is closed), a fifth completes it, and every key, preshared key and
 * address survived all of them; then every peer's status is wiped and a fresh operator (nothing in memory)
 * rebuilds it identically from the Secrets.
 */
final class RestartRun {

    private static final Pattern SECRETS = Pattern.compile(".*/namespaces/[^/]+/secrets$");
    private static final Pattern PEER_STATUS = Pattern.compile(".*/vpnpeers/[^/]+/status$");
    private static final Pattern INSTANCE_STATUS = Pattern.compile(".*/vpninstances/[^/]+/status$");

    private final String where;
    private final KubernetesClient admin;
    private final String namespace;
    private final Config base;
    private final OperatorSettings settings;
    private final Supplier<KubernetesClient> directClient;
    private final Closer closer;
    private final SecretHistory history;

    RestartRun(String where, KubernetesClient admin, String namespace, Config base, OperatorSettings settings,
               Supplier<KubernetesClient> directClient, Closer closer) {
        this.where = where;
        this.admin = admin;
        this.namespace = namespace;
        this.base = base;
        this.settings = settings;
        this.directClient = directClient;
        this.closer = closer;
        this.history = closer.add(new SecretHistory(admin, namespace));
    }

    /** From the {@code n+1}-th request matching {@code method} and {@code path} on, nothing reaches the API server. */
    private static Predicate<HttpRequest> after(int n, String method, Pattern path) {
        AtomicInteger seen = new AtomicInteger();
        return request -> method.equals(request.method()) && path.matcher(request.uri().getPath()).matches()
                && seen.incrementAndGet() > n;
    }

    /** An operator through a cut-able network; returns once it was cut off, and closes it. */
    private void runUntilCut(String name, Predicate<HttpRequest> cut) {
        FaultyApi network;
        try {
            network = closer.add(new FaultyApi(URI.create(base.getMasterUrl()), admin.getHttpClient(), ApiFaultsTest.SEED, 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        network.cutOff(cut);
        KubernetesClient client = network.client(base, "peerwarden-operator-" + name);
        PeerwardenOperator operator = PeerwardenOperator.start(client, settings);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(network::isCut);
        // killed: the cut already keeps every request of this process from the server, so it winds down without reaching it;
        // only then do its connections go. The other order fails a watch mid-frame now and then, which fabric8 reports as a
        // fatal informer error and JOSDK answers with System.exit: in a test JVM, the end of the whole test run
        operator.close();
        client.close();
    }

    private int peerStatusesWritten() {
        return (int) Group.peers(admin, namespace).stream().filter(p -> p.getStatus() != null && p.getStatus().getAllowedIPs() != null).count();
    }

    private PeerwardenOperator startDirect() {
        return PeerwardenOperator.start(closer.add(directClient.get()), settings);
    }

    void run(int peers) {
        Group.createInstance(admin, namespace);
        Group.createPeers(admin, namespace, peers);

        // 1: after 24 % of the Secrets were created (120 of 500), before some of their peers' statuses
        int cut1 = peers * 24 / 100;
        int cut2 = peers / 5;
        int cut3 = peers * 3 / 10;
        runUntilCut("1", after(cut1, "POST", SECRETS));
        int secretsAfter1 = history.first().size();
        int statusesAfter1 = peerStatusesWritten();
        // 2: after 20 % more peer status writes (100 of 500): Secrets and statuses of other peers half done
        runUntilCut("2", after(cut2, "PATCH", PEER_STATUS));
        // 3: after 30 % more peer status writes (150 of 500). (Not Secrets: the operator writes every planned peer's
        // Secret before the statuses, so after the second cut none is left to create.)
        runUntilCut("3", after(cut3, "PATCH", PEER_STATUS));
        // 4: at the first instance status write: the peers written, the instance not
        runUntilCut("4", after(0, "PATCH", INSTANCE_STATUS));
        int restarts = 4;

        PeerwardenOperator fifth = startDirect();
        Duration converged = FaultRun.awaitConverged(admin, namespace, peers, Duration.ofMinutes(2));
        assertThat(history.violations()).as("keys, preshared keys or addresses changed, or Secrets deleted").isEmpty();
        Group.State end = Group.state(admin, namespace);
        assertThat(end.secretKeys()).hasSize(peers + 1);
        Set<String> addresses = new HashSet<>();
        end.peers().values().forEach(p -> addresses.addAll(p.allowedIPs()));
        assertThat(addresses).hasSize(peers);
        // the first version of every Secret is what the end holds (SecretHistory checked every version in between)
        end.secretKeys().forEach((name, held) -> assertThat(held).as(name).isEqualTo(Group.held(history.first().get(name))));

        // status wiped from every peer, and no operator memory: rebuilt identically from the Secrets
        fifth.close();
        for (VpnPeer peer : Group.peers(admin, namespace)) {
            admin.resources(VpnPeer.class).inNamespace(namespace).withName(peer.getMetadata().getName()).editStatus(p -> {
                p.setStatus(null);
                return p;
            });
        }
        assertThat(peerStatusesWritten()).isZero();
        closer.add(startDirect());
        Duration rebuilt = FaultRun.awaitConverged(admin, namespace, peers, Duration.ofMinutes(2));
        // converged means every peer rendered and counted; the instance's other figures may take one more reconcile.
        // Said when it did (CI once saw the pool count one too high at this point: transient or stuck is not yet known)
        List<String> firstLook = Group.differences(end, Group.state(admin, namespace));
        if (!firstLook.isEmpty()) {
            try {
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                        .until(() -> Group.differences(end, Group.state(admin, namespace)).isEmpty());
                FaultRun.record("restarts (" + where + "): right after the rebuild the status differed, then settled: " + firstLook);
            } catch (org.awaitility.core.ConditionTimeoutException stuck) {
                // asserted below with what still differs
            }
        }
        Group.State afterWipe = Group.state(admin, namespace);
        assertThat(Group.differences(end, afterWipe)).as("status rebuilt after the wipe (right after converging: %s)", firstLook).isEmpty();
        assertThat(afterWipe.peers()).isEqualTo(end.peers());
        assertThat(afterWipe.secretKeys()).isEqualTo(end.secretKeys());
        assertThat(history.violations()).isEmpty();

        FaultRun.record("restarts (" + where + "): " + peers + " peers, operator killed " + restarts + " times (after " + cut1 + " Secret creates: "
                + secretsAfter1 + " Secrets, " + statusesAfter1 + " peer statuses written; after " + cut2 + " more status writes; after "
                + cut3 + " more status writes; at the first instance status write), the fifth completed the group in " + converged.toMillis()
                + " ms; status wiped from all " + peers + " peers rebuilt identically in " + rebuilt.toMillis()
                + " ms; keys, preshared keys, addresses changed: none");
    }
}
