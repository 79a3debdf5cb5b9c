package io.peerwarden.core.plan;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.NS;
import static io.peerwarden.core.plan.PlanFixtures.at;
import static io.peerwarden.core.plan.PlanFixtures.fixedKey;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.tenancy.NamespaceLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of peer adds, updates and deletes (allowed IPs colliding on purpose, site subnets,
 * duplicate public keys, invalid specs, a pool small enough to run out, site subnets of a neighbour instance on the same
 * node, senior or junior), each planned incrementally over one {@link PlanMemory} the way the reconciler does: after
 * every step, every peer's last plan (what the operator last wrote for it: its latest streamed plan, whichever step
 * made it) equals a fresh full plan of the same cluster state, field by field, and so do the instance-level figures.
 */
class IncrementalPlanPropertiesTest {

    private static final String POOL = "10.24.0.1/28";
    private static final List<String> SHARED_KEYS = List.of(
            WireGuardKeys.publicKeyOf(fixedKey("shared-a")), WireGuardKeys.publicKeyOf(fixedKey("shared-b")));

    /** One change: op 0 add (or update when the name exists), 1 update, 2 delete; the spec drawn from the rest. */
    record Change(int op, int name, int kind, int offset, int prefix, int createdSecond, int key) {
    }

    @Provide
    Arbitrary<List<List<Change>>> histories() {
        Arbitrary<Change> change = Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 15),
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 15),
                Arbitraries.integers().between(28, 32),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 5)).as(Change::new);
        // mostly one change per step (the reconciler's common case), sometimes a few at once
        Arbitrary<List<Change>> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, change.list().ofSize(1)),
                net.jqwik.api.Tuple.of(1, change.list().ofMinSize(2).ofMaxSize(4)));
        return step.list().ofMinSize(1).ofMaxSize(30);
    }

    /** Site subnets of a neighbour instance's peers on the same node: (offset, prefix, created second) each. */
    @Provide
    Arbitrary<List<List<Integer>>> neighbourSites() {
        return Combinators.combine(Arbitraries.integers().between(0, 15), Arbitraries.integers().between(22, 26),
                Arbitraries.integers().between(0, 3)).as(List::of).list().ofMaxSize(2);
    }

    @Property(tries = 150)
    void everyIncrementalPlanDecidesWhatAFullPlanWould(@ForAll("histories") List<List<Change>> history,
                                                       @ForAll("neighbourSites") List<List<Integer>> neighbourSites) {
        Cluster cluster = new Cluster(neighbourSites);
        cluster.plan(Map.of(), true);
        for (List<Change> step : history) {
            Map<String, VpnPeer> changed = new LinkedHashMap<>();
            for (Change c : step) {
                cluster.apply(c, changed);
            }
            InstancePlan result = cluster.plan(changed, false);
            Statistics.label("incremental").collect(!result.complete());
            if (!result.complete()) {
                assertThat(result.peers()).as("only the changed peers are planned")
                        .allMatch(p -> changed.containsKey(Seniority.key(p.peer())));
            }
        }
    }

    /** The cluster's state, fed back as the operator does: Secrets written, allocations recorded in the ledger. */
    private static final class Cluster {
        final PlanFixtures.FakeKeys keys = new PlanFixtures.FakeKeys();
        final PlanFixtures.FakeSecrets secrets = new PlanFixtures.FakeSecrets();
        final AllocationLedger ledger = new AllocationLedger();
        final InstancePlanner planner = new InstancePlanner(keys);
        final VpnInstance instance = instance(POOL);
        final PlanMemory memory = new PlanMemory();
        final Map<String, VpnPeer> peers = new TreeMap<>();
        /** A junior instance on the same node (it keeps our port and name) whose site peers route on the same host. */
        final List<VpnInstance> others;
        final Map<String, List<VpnPeer>> peersOfOthers;
        /** every peer's latest plan, as streamed (the operator writes each one as it comes) */
        final Map<String, PeerPlan> lastPlanned = new TreeMap<>();
        int uids;

        Cluster(List<List<Integer>> neighbourSites) {
            VpnInstance neighbour = instance("neighbour", 5, "10.99.0.1/24");
            List<VpnPeer> sites = new ArrayList<>();
            for (int i = 0; i < neighbourSites.size(); i++) {
                List<Integer> n = neighbourSites.get(i);
                VpnPeer site = peer(NS, "n" + i, n.get(2), PlanFixtures.site(io.peerwarden.core.net.Cidr.parse(
                        "192.168." + (n.get(0) % 4) + ".0/" + n.get(1)).network().toString()));
                site.getSpec().setInstanceRef(new io.peerwarden.api.v1alpha1.InstanceRef("neighbour"));
                site.getMetadata().setUid("uid-neighbour-site-" + i);
                sites.add(site);
            }
            others = neighbourSites.isEmpty() ? List.of() : List.of(neighbour);
            peersOfOthers = neighbourSites.isEmpty() ? Map.of() : Map.of(NS + "/neighbour", sites);
        }

        void apply(Change c, Map<String, VpnPeer> changed) {
            String name = "p" + c.name();
            String key = NS + "/" + name;
            VpnPeer existing = peers.get(key);
            if (c.op() == 2 || c.op() == 1 && existing == null) {
                if (existing != null) {
                    peers.remove(key);
                    changed.put(key, null);
                }
                return;
            }
            VpnPeer next = peer(NS, name, existing == null ? c.createdSecond() : 0, spec(c));
            if (existing != null) {
                next.getMetadata().setCreationTimestamp(existing.getMetadata().getCreationTimestamp());
                next.getMetadata().setUid(existing.getMetadata().getUid());
                next.getMetadata().setGeneration(existing.getMetadata().getGeneration() + 1);
            } else {
                next.getMetadata().setCreationTimestamp(at(c.createdSecond()));
                next.getMetadata().setUid("uid-" + name + "-" + (++uids));
            }
            peers.put(key, next);
            changed.put(key, next);
        }

        private static Consumer<VpnPeerSpec> spec(Change c) {
            return s -> {
                switch (c.kind()) {
                    case 1, 2 -> s.setAllowedIPs(List.of(io.peerwarden.core.net.Cidr.parse(
                            "10.24.0." + c.offset() + "/" + c.prefix()).network().toString()));
                    case 3 -> {
                        s.setType("site");
                        s.setSubnets(List.of(io.peerwarden.core.net.Cidr.parse(
                                "192.168." + (c.offset() % 4) + ".0/" + (c.prefix() - 6)).network().toString()));
                    }
                    case 4 -> s.setAllowedIPs(List.of("10.24.0." + (300 + c.offset()) + "/32"));
                    case 5 -> s.setMtu(c.offset() % 2 == 0 ? 1 : 1420);
                    default -> { }
                }
                if (c.key() < SHARED_KEYS.size()) {
                    s.setPublicKey(SHARED_KEYS.get(c.key()));
                }
            };
        }

        /** The node keys after the last plan (a copy: an incremental plan's are a view of the memory). */
        Map<String, String> lastNodeKeys = new LinkedHashMap<>();

        InstancePlan plan(Map<String, VpnPeer> changed, boolean everything) {
            // the reference: a full plan of exactly the state the incremental plan is given
            InstancePlan reference = planner.plan(instance, new ArrayList<>(peers.values()), secrets, ledger, nodes(NODE),
                    others, peersOfOthers, NamespaceLabels.UNKNOWN);
            Statistics.label("a peer refused for a neighbour's site").collect(reference.peers().stream()
                    .anyMatch(p -> p.conditions().stream().anyMatch(c -> c.message().contains("of VpnInstance neighbour on the same node"))));
            Map<String, Boolean> keysBefore = new LinkedHashMap<>();
            peers.forEach((k, p) -> keysBefore.put(k, hasKeyAlready(p)));
            Map<String, String> nodeKeysBefore = new LinkedHashMap<>(lastNodeKeys);
            List<PeerPlan> streamed = new ArrayList<>();
            PeerChanges changes = everything ? PeerChanges.everything(new ArrayList<>(peers.values()))
                    : PeerChanges.only(() -> new ArrayList<>(peers.values()), changed);
            InstancePlan result = planner.plan(instance, changes, secrets, ledger, nodes(NODE), others, peersOfOthers,
                    NamespaceLabels.UNKNOWN, memory, streamed::add);
            assertThat(streamed).as("every plan streamed once").containsExactlyInAnyOrderElementsOf(result.peers());
            streamed.forEach(p -> lastPlanned.put(Seniority.key(p.peer()), p));
            lastPlanned.keySet().retainAll(peers.keySet());

            assertThat(memory.size()).isEqualTo(peers.size());
            assertThat(lastPlanned.keySet()).as("peers ever planned").isEqualTo(peers.keySet());
            for (PeerPlan expected : reference.peers()) {
                String key = Seniority.key(expected.peer());
                assertThat(memory.remembers(key)).as("remembered: " + key).isTrue();
                PeerPlan actual = lastPlanned.get(key);
                assertSame(key, actual, expected, keysBefore.get(key));
            }
            assertThat(result.collisions()).as("collisions").isEqualTo(reference.collisions());
            assertThat(result.pools()).usingRecursiveFieldByFieldElementComparator().as("pools").isEqualTo(reference.pools());
            assertThat(result.nodeKeys().keySet()).as("node keys").isEqualTo(reference.nodeKeys().keySet());
            for (VpnPeer p : peers.values()) {
                // a preshared key kept from the config Secret is the one the node's agent is given
                String entry = io.peerwarden.core.node.NodeKeys.peerEntry(p.getMetadata().getUid());
                if (keysBefore.get(Seniority.key(p)) && reference.nodeKeys().containsKey(entry)) {
                    assertThat(result.nodeKeys().get(entry)).as(Seniority.key(p) + " node key").isEqualTo(reference.nodeKeys().get(entry));
                }
            }

            if (result.nodeKeysChanged() != null) {
                // publishing touches only these entries: every entry that differs from the last plan's must be one
                java.util.Set<String> differing = new java.util.HashSet<>(nodeKeysBefore.keySet());
                differing.addAll(result.nodeKeys().keySet());
                differing.removeIf(e -> java.util.Objects.equals(nodeKeysBefore.get(e), result.nodeKeys().get(e)));
                assertThat(result.nodeKeysChanged()).as("node-key entries the plan says it may have changed").containsAll(differing);
                Statistics.label("node-key entries changed by an incremental plan").collect(differing.isEmpty() ? "none" : "some");
            }
            lastNodeKeys = new LinkedHashMap<>(result.nodeKeys());

            secrets.writeAll(result);
            ledger.recordAll(result.allocations());
            return result;
        }

        /** The peer's config Secret was rendered earlier: no plan mints new keys (private or preshared) for it. */
        private boolean hasKeyAlready(VpnPeer p) {
            // a Secret rendered for a spec.publicKey holds no private key: dropping spec.publicKey mints one
            return secrets.find(NS, Labels.peerConfigSecretName(p.getMetadata().getName()))
                    .filter(s -> SecretData.madeFor(s, p))
                    .filter(s -> s.data().containsKey(Labels.PRESHARED_KEY))
                    .filter(s -> p.getSpec().getPublicKey() != null || s.data().containsKey(Labels.PRIVATE_KEY))
                    .isPresent();
        }

        private static void assertSame(String key, PeerPlan actual, PeerPlan expected, boolean keysExisted) {
            assertThat(actual.valid()).as(key + " valid").isEqualTo(expected.valid());
            assertThat(actual.allowedIPs()).as(key + " addresses").isEqualTo(expected.allowedIPs());
            assertThat(actual.configSecretName()).as(key + " config Secret").isEqualTo(expected.configSecretName());
            assertThat(actual.nodeName()).as(key + " node").isEqualTo(expected.nodeName());
            assertThat(actual.peer().getMetadata().getGeneration()).as(key + " generation")
                    .isEqualTo(expected.peer().getMetadata().getGeneration());
            if (keysExisted) {
                assertThat(actual.publicKey()).as(key + " public key").isEqualTo(expected.publicKey());
                assertThat(actual.conditions()).as(key + " conditions").isEqualTo(expected.conditions());
                assertThat(secretData(actual)).as(key + " Secret").isEqualTo(secretData(expected));
            } else {
                // both minted keys of their own (the fake key source counts on): the same shape, other key bytes
                assertThat(actual.publicKey() == null).as(key + " has a public key").isEqualTo(expected.publicKey() == null);
                assertThat(masked(actual.conditions())).as(key + " conditions").isEqualTo(masked(expected.conditions()));
                assertThat(Optional.ofNullable(secretData(actual)).map(Map::keySet))
                        .isEqualTo(Optional.ofNullable(secretData(expected)).map(Map::keySet));
            }
        }

        private static Map<String, String> secretData(PeerPlan plan) {
            return plan.secret() == null ? null : plan.secret().data();
        }

        private static List<String> masked(List<io.peerwarden.core.status.ConditionState> conditions) {
            return conditions.stream().map(c -> c.type() + "/" + c.status() + "/" + c.reason() + "/"
                    + c.message().replaceAll("[A-Za-z0-9+/]{43}=", "<key>")).collect(Collectors.toList());
        }
    }
}
