package io.peerwarden.core.plan;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.NS;
import static io.peerwarden.core.plan.PlanFixtures.allowed;
import static io.peerwarden.core.plan.PlanFixtures.config;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.tenancy.NamespaceLabels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One peer's change among many plans that peer only, and falls back to a full plan exactly when it must. */
class IncrementalPlanTest {

    private static final int PEERS = 200;

    private final PlanFixtures.FakeKeys keys = new PlanFixtures.FakeKeys();
    private final PlanFixtures.FakeSecrets secrets = new PlanFixtures.FakeSecrets();
    private final AllocationLedger ledger = new AllocationLedger();
    private final InstancePlanner planner = new InstancePlanner(keys);
    private final PlanMemory memory = new PlanMemory();
    private final Map<String, VpnPeer> peers = new TreeMap<>();
    private final AtomicInteger allRead = new AtomicInteger();
    private VpnInstance instance = instance("10.24.0.1/16");

    @BeforeEach
    void rollOut() {
        // the instance came first: its key Secret exists when the peers arrive
        plan(PeerChanges.everything(List.of()));
        peers.put(NS + "/winner", peer("winner", 0, allowed("10.24.200.0/30")));
        peers.put(NS + "/loser", peer("loser", 1, allowed("10.24.200.2/32")));
        for (int i = 0; i < PEERS - 2; i++) {
            VpnPeer p = peer("peer-" + i, 2 + i);
            peers.put(Seniority.key(p), p);
        }
        InstancePlan first = plan(PeerChanges.everything(new ArrayList<>(peers.values())));
        assertThat(first.complete()).isTrue();
        assertThat(first.peers()).hasSize(PEERS);
        assertThat(memory.size()).isEqualTo(PEERS);
        allRead.set(0);
    }

    @Test
    void oneSpecChangePlansThatPeerOnlyWithoutReadingTheOthers() {
        VpnPeer changed = peer("peer-100", 102, s -> s.setPersistentKeepalive(25));
        changed.getMetadata().setGeneration(2L);
        List<PeerPlan> streamed = new ArrayList<>();

        InstancePlan plan = change(NS + "/peer-100", changed, streamed);

        assertThat(plan.complete()).isFalse();
        assertThat(plan.peers()).as("peers planned for one change").hasSize(1);
        assertThat(streamed).containsExactlyElementsOf(plan.peers());
        assertThat(allRead).as("the whole group is never read on the fast path").hasValue(0);
        PeerPlan p = plan.peers().get(0);
        assertThat(p.valid()).isTrue();
        assertThat(config(p)).contains("PersistentKeepalive = 25");
        assertThat(p.allowedIPs()).as("keeps its address").isEqualTo(ledger.get("uid-vpn-peer-100").orElseThrow());
        assertThat(plan.pools().get(0).getAllocated()).isEqualTo(PEERS - 1); // the loser holds nothing
        assertThat(plan.collisions()).isEqualTo(1);
        assertThat(plan.nodeKeys()).hasSize(PEERS); // the instance's key and every valid peer's
        assertThat(memory.remembers(NS + "/peer-100")).isTrue();
        assertThat(memory.size()).isEqualTo(PEERS);
    }

    @Test
    void aNewPeerGetsTheAddressAFullPlanWouldGiveIt() {
        change(NS + "/peer-7", null, new ArrayList<>());
        VpnPeer newcomer = peer("newcomer", 10_000);
        InstancePlan plan = change(NS + "/newcomer", newcomer, new ArrayList<>());

        assertThat(plan.complete()).isFalse();
        assertThat(plan.peers()).hasSize(1);
        InstancePlan full = planner.plan(instance, new ArrayList<>(peers.values()), secrets, ledger, nodes(NODE), List.of(),
                Map.of(), NamespaceLabels.UNKNOWN);
        assertThat(plan.peers().get(0).allowedIPs()).isEqualTo(PlanFixtures.planOf(full, "newcomer").allowedIPs())
                .as("the address peer-7 freed").isEqualTo(List.of("10.24.0.9/32"));
        assertThat(plan.pools().get(0).getAllocated()).isEqualTo(full.pools().get(0).getAllocated());
    }

    @Test
    void deletingACollisionWinnerReplansTheGroupSoTheLoserGetsItsRange() {
        InstancePlan plan = change(NS + "/winner", null, new ArrayList<>());

        assertThat(plan.complete()).as("a collision is involved: full plan").isTrue();
        assertThat(allRead).hasValue(1);
        PeerPlan loser = PlanFixtures.planOf(plan, "loser");
        assertThat(loser.valid()).isTrue();
        assertThat(loser.allowedIPs()).containsExactly("10.24.200.2/32");
        assertThat(plan.collisions()).isZero();
    }

    @Test
    void aChangeOntoAnotherPeersRangeIsDecidedByAFullPlan() {
        VpnPeer grabber = peer("peer-3", 5, allowed("10.24.0.2/32"));
        grabber.getMetadata().setGeneration(2L);
        InstancePlan plan = change(NS + "/peer-3", grabber, new ArrayList<>());

        assertThat(plan.complete()).isTrue();
        // peer-3 is junior to the holder of 10.24.0.2 (the first allocated peer): it loses
        assertThat(PlanFixtures.condition(PlanFixtures.planOf(plan, "peer-3"), ConditionTypes.VALID).reason())
                .isEqualTo(Reasons.ALLOWED_IP_TAKEN);
    }

    @Test
    void anInstanceChangeOrANewMemoryMakesAFullPlan() {
        VpnPeer changed = peer("peer-1", 3, s -> s.setMtu(1380));
        instance = PlanFixtures.copy(instance);
        instance.getSpec().setPersistentKeepalive(15);
        instance.getMetadata().setGeneration(2L);
        assertThat(change(NS + "/peer-1", changed, new ArrayList<>()).complete()).isTrue();

        PlanMemory fresh = new PlanMemory();
        InstancePlan plan = planner.plan(instance, PeerChanges.only(all(), Map.of(NS + "/peer-1", changed)), secrets, ledger,
                nodes(NODE), List.of(), Map.of(), NamespaceLabels.UNKNOWN, fresh, p -> { });
        assertThat(plan.complete()).isTrue();
        assertThat(fresh.size()).isEqualTo(PEERS);
    }

    @Test
    void aLargeGroupRenderedOnEveryCoreStillGivesASharedKeyToItsSeniorHolder() {
        Map<String, VpnPeer> group = new TreeMap<>();
        for (int i = 0; i < 2 * PeerSteps.PARALLEL_FROM; i++) {
            String shared = io.peerwarden.core.keys.WireGuardKeys.publicKeyOf(PlanFixtures.fixedKey("pair-" + i / 2));
            // the junior of each pair has the lower name, so name order alone would pick the wrong holder
            VpnPeer p = peer("k-" + (1000 - i), i, s -> s.setPublicKey(shared));
            group.put(Seniority.key(p), p);
        }
        InstancePlan plan = planner.plan(instance, new ArrayList<>(group.values()), secrets, ledger, nodes(NODE), List.of(),
                Map.of(), NamespaceLabels.UNKNOWN);

        for (int i = 0; i < 2 * PeerSteps.PARALLEL_FROM; i++) {
            PeerPlan p = PlanFixtures.planOf(plan, "k-" + (1000 - i));
            assertThat(p.valid()).as("k-" + (1000 - i)).isEqualTo(i % 2 == 0);
            if (i % 2 == 1) {
                assertThat(PlanFixtures.condition(p, ConditionTypes.VALID).reason()).isEqualTo(Reasons.PUBLIC_KEY_TAKEN);
            }
        }
    }

    /** {@code peer} null: deleted. */
    private InstancePlan change(String key, VpnPeer peer, List<PeerPlan> streamed) {
        Map<String, VpnPeer> changed = new HashMap<>();
        changed.put(key, peer);
        if (peer == null) {
            peers.remove(key);
        } else {
            peers.put(key, peer);
        }
        return plan(PeerChanges.only(all(), changed), streamed);
    }

    private Supplier<Collection<VpnPeer>> all() {
        return () -> {
            allRead.incrementAndGet();
            return new ArrayList<>(peers.values());
        };
    }

    private InstancePlan plan(PeerChanges changes) {
        return plan(changes, new ArrayList<>());
    }

    private InstancePlan plan(PeerChanges changes, List<PeerPlan> streamed) {
        InstancePlan plan = planner.plan(instance, changes, secrets, ledger, nodes(NODE), List.of(), Map.of(),
                NamespaceLabels.UNKNOWN, memory, p -> {
                    synchronized (streamed) {
                        streamed.add(p);
                    }
                });
        secrets.writeAll(plan);
        ledger.recordAll(plan.allocations());
        return plan;
    }
}
