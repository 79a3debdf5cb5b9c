package io.peerwarden.reliability;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.testing.FaultyApi;
import io.peerwarden.testing.SecretHistory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One run of the fault scenario: peers created while faults are on, a fault window that ends once enough
 * faults of every kind were injected, then convergence (timed) and the comparison with a fault-free run.
 * Figures go to the console and to {@code target/reliability-figures.txt} (RELIABILITY.md quotes them).
 */
final class FaultRun {

    /** The share of requests faulted while faults are on. */
    static final double SHARE = 0.2;
    /** Faults to inject before the window closes: at least one per two peers in all, and some of every kind. */
    static final int MIN_FAULTS_PER_PEER_DIVISOR = 2;
    static final int MIN_PER_KIND = 2;
    static final Duration CONVERGE_WITHIN = Duration.ofMinutes(2);

    private final String where;
    private final FaultyApi api;
    private final SecretHistory history;
    private final KubernetesClient admin;
    private final String namespace;
    private final int peers;

    FaultRun(String where, FaultyApi api, SecretHistory history, KubernetesClient admin, String namespace, int peers) {
        this.where = where;
        this.api = api;
        this.history = history;
        this.admin = admin;
        this.namespace = namespace;
        this.peers = peers;
    }

    static Duration awaitConverged(KubernetesClient admin, String namespace, int peers, Duration within) {
        Instant start = Instant.now();
        await().atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> Group.converged(admin, namespace, peers));
        return Duration.between(start, Instant.now());
    }

    void createUnderFaultsThenStop() {
        Group.createInstance(admin, namespace);
        Group.createPeers(admin, namespace, peers);
        awaitFaultWindow();
    }

    /** Keeps the faults on until enough of every kind were injected, then stops them. */
    void awaitFaultWindow() {
        // the fault window: open until enough faults of every kind have hit the operator's requests
        // a refused watch needs a watch request, and those come only as informers reconnect (after a dropped
        // connection, with backoff): once the group has converged they are the only requests left, so one of them is
        // required, not two (a faster operator makes fewer requests in the window; CI once waited 90 s for the second)
        try {
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).until(() -> api.total() >= peers / MIN_FAULTS_PER_PEER_DIVISOR
                    && api.injected().entrySet().stream().allMatch(e -> e.getValue() >= (e.getKey() == FaultyApi.Fault.WATCH_REFUSED ? 1 : MIN_PER_KIND)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the fault window never filled: " + api.injected() + " injected in " + api.requests() + " requests", e);
        }
        api.faults(false);
    }

    void assertEndsAs(Group.State baseline) {
        assertEndsAs(baseline, () -> true, "");
    }

    /**
     * @param alsoConverged what else must hold once converged (the agent's part, say)
     * @param what          what the figures line adds
     */
    void assertEndsAs(Group.State baseline, java.util.function.BooleanSupplier alsoConverged, String what) {
        Instant start = Instant.now();
        await().atMost(CONVERGE_WITHIN).pollInterval(Duration.ofMillis(500))
                .until(() -> Group.converged(admin, namespace, peers) && alsoConverged.getAsBoolean());
        Duration converged = Duration.between(start, Instant.now());
        Group.State end = Group.state(admin, namespace);

        assertThat(history.violations()).as("keys, preshared keys or addresses changed, or Secrets deleted").isEmpty();
        assertThat(Group.differences(baseline.withoutKeys(), end.withoutKeys())).as("the faulty run's end state against the fault-free run's")
                .isEmpty();
        // one Secret per peer plus the instance key, each still holding the first keys it ever held
        assertThat(end.secretKeys()).hasSize(peers + 1);
        end.secretKeys().forEach((name, held) -> {
            SecretHistory.Held first = history.first().get(name);
            assertThat(first).as(name).isNotNull();
            assertThat(held).as(name).isEqualTo(Group.held(first));
        });
        // the public key in status is the one of the key the Secret holds
        end.peers().forEach((name, p) -> assertThat(p.publicKey()).as(name).isEqualTo(decodedPublicKey(name)));
        record(where + ": " + peers + " peers" + what + ", " + api.requests() + " requests, faults injected " + api.injected()
                + " (" + api.total() + " in all), converged " + converged.toMillis() + " ms after the faults stopped, lost: "
                + (history.violations().isEmpty() ? "nothing" : history.violations()));
    }

    private String decodedPublicKey(String peer) {
        Map<String, String> data = admin.secrets().inNamespace(namespace).withName(peer + "-wireguard").get().getData();
        return new String(java.util.Base64.getDecoder().decode(data.get("publicKey")), java.nio.charset.StandardCharsets.UTF_8);
    }

    static void record(String line) {
        System.out.println("[reliability] " + line);
        try {
            Files.writeString(Path.of("target", "reliability-figures.txt"), Instant.now() + " " + line + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
