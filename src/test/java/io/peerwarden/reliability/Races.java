package io.peerwarden.reliability;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.operator.OperatorHarness;
import io.peerwarden.testing.CreationTimestamps;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The race scenarios, for the mock and the real API server alike. */
final class Races {

    static final int CLAIMANTS = 50;
    static final int ALLOCATED = 200;
    static final String CLAIMED = "10.40.0.9/32";

    private Races() {
    }

    /** Creates all peers from 8 threads at once, in an order shuffled by {@code seed}. */
    static void createAtOnce(KubernetesClient admin, List<VpnPeer> peers, long seed) {
        List<VpnPeer> order = new ArrayList<>(peers);
        Collections.shuffle(order, new Random(seed));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (VpnPeer peer : order) {
                created.add(pool.submit(() -> admin.resource(peer).create()));
            }
            for (Future<?> f : created) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * 50 peers claiming one address, created at once: exactly one is Valid and holds it, the earliest by
     * creationTimestamp then name; every other is Valid=False, AllowedIPTaken naming that one.
     *
     * @return the winner's name
     */
    static String fiftyClaimOneAddress(KubernetesClient admin, String namespace, long seed) {
        Group.createInstance(admin, namespace);
        List<VpnPeer> claimants = IntStream.range(0, CLAIMANTS).mapToObj(i -> {
            VpnPeer peer = OperatorHarness.peer(String.format("claim-%02d", i), Group.INSTANCE, "client");
            peer.getMetadata().setNamespace(namespace);
            peer.getSpec().setAllowedIPs(List.of(CLAIMED));
            return peer;
        }).toList();
        // two waves, each created at once: the ten of the first wave (a seeded choice of names) are older by at
        // least a second than the forty of the second, so the winner is the first wave's smallest name, which
        // need not be the smallest name of all: creationTimestamp decides before the name does
        List<VpnPeer> shuffled = new ArrayList<>(claimants);
        Collections.shuffle(shuffled, new Random(seed));
        List<VpnPeer> firstWave = shuffled.subList(0, 10);
        createAtOnce(admin, firstWave, seed);
        VpnPeer newest = firstWave.stream().map(p -> admin.resources(VpnPeer.class).inNamespace(namespace)
                .withName(p.getMetadata().getName()).get()).max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()))
                .orElseThrow();
        CreationTimestamps.awaitSecondAfter(newest);
        createAtOnce(admin, shuffled.subList(10, shuffled.size()), seed);

        List<VpnPeer> all = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Group.peers(admin, namespace), peers -> peers.size() == CLAIMANTS && peers.stream().allMatch(p ->
                        OperatorHarness.condition(ConditionTypes.VALID, Conditions.TRUE, null).test(p)
                                || OperatorHarness.condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.ALLOWED_IP_TAKEN).test(p))
                        && peers.stream().filter(p -> Conditions.isTrue(p.getStatus().getConditions(), ConditionTypes.VALID)).count() == 1);
        VpnPeer earliest = all.stream().min(Comparator.comparing((VpnPeer p) -> Instant.parse(p.getMetadata().getCreationTimestamp()))
                .thenComparing(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())).orElseThrow();
        VpnPeer winner = all.stream().filter(p -> Conditions.isTrue(p.getStatus().getConditions(), ConditionTypes.VALID))
                .findFirst().orElseThrow();
        assertThat(winner.getMetadata().getName()).as("the earliest claimant wins").isEqualTo(earliest.getMetadata().getName());
        assertThat(winner.getStatus().getAllowedIPs()).containsExactly(CLAIMED);
        for (VpnPeer loser : all) {
            if (loser != winner) {
                assertThat(Conditions.find(loser.getStatus().getConditions(), ConditionTypes.VALID).orElseThrow().getMessage())
                        .as(loser.getMetadata().getName()).contains(winner.getMetadata().getName());
                assertThat(loser.getStatus().getAllowedIPs()).as(loser.getMetadata().getName()).isNullOrEmpty();
            }
        }
        return winner.getMetadata().getName();
    }

    /** {@code count} peers without allowedIPs created at once: as many distinct addresses, none the server's or the network's. */
    static Set<String> allocatedAtOnce(KubernetesClient admin, String namespace, long seed) {
        return allocatedAtOnce(admin, namespace, seed, ALLOCATED);
    }

    static Set<String> allocatedAtOnce(KubernetesClient admin, String namespace, long seed, int count) {
        List<VpnPeer> peers = IntStream.range(0, count).mapToObj(i -> {
            VpnPeer peer = OperatorHarness.peer(String.format("alloc-%03d", i), Group.INSTANCE, "client");
            peer.getMetadata().setNamespace(namespace);
            return peer;
        }).toList();
        createAtOnce(admin, peers, seed);
        List<VpnPeer> all = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> Group.peers(admin, namespace).stream().filter(p -> p.getMetadata().getName().startsWith("alloc-")).toList(),
                        list -> list.size() == count && list.stream().allMatch(OperatorHarness.rendered()));
        Set<String> addresses = new HashSet<>();
        all.forEach(p -> addresses.addAll(p.getStatus().getAllowedIPs()));
        assertThat(addresses).hasSize(count).doesNotContain("10.40.0.1/32", "10.40.0.0/32");
        return addresses;
    }
}
