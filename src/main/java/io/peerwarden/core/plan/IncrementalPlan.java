package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.net.AddressPool;
import io.peerwarden.core.net.Cidr;
import io.peerwarden.core.node.NodeKeys;
import io.peerwarden.core.tenancy.NamespaceLabels;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A plan of only the changed peers, over a {@link PlanMemory} of the same instance context, when that
 * provably decides what a full plan would: every changed peer's old and new claims (declared allowed IPs,
 * site subnets, recorded and allocated addresses) overlap no other peer's claim or attempted claim, and
 * its old and new public keys were presented by nobody else. Then no other peer's outcome depends on the
 * change (collisions are decided only among overlapping claims, keys only among equal keys), so only the
 * changed peers are planned, with the same steps as a full plan, against the remembered index. A new peer
 * needing an address gets the lowest free one over that index, in seniority order among the changed ones:
 * what a full plan's step 2 gives it, since every other peer already holds its address in step 1.
 *
 * <p>Anything else (a collision involved, a shared key, a full pool, an internal failure) returns empty and
 * the caller makes a full plan. The cost is O(changed · log n): no sort, scan or copy of all peers.
 */
final class IncrementalPlan {

    private final InstancePlanner planner;
    private final PlanGroup group;
    private final PlanMemory memory;

    IncrementalPlan(InstancePlanner planner, PlanGroup group, PlanMemory memory) {
        this.planner = planner;
        this.group = group;
        this.memory = memory;
    }

    /** @return empty when only a full plan can decide (the memory may then be left half-updated: the caller clears it) */
    Optional<InstancePlan> plan(Map<String, VpnPeer> changed, NamespaceLabels namespaces, Consumer<PeerPlan> planned) {
        PlanContext context = group.context();
        List<AddressPool> pools = context.pools();
        for (String key : changed.keySet()) {
            PlanMemory.Remembered old = memory.peers.get(key);
            if (old != null && (old.failed() || memory.attempts.touchesOthers(key, old.attempted())
                    || memory.presentedByOthers(old.presentedKey(), key))) {
                return Optional.empty();
            }
        }
        List<PeerWork> work = new ArrayList<>();
        changed.values().stream().filter(Objects::nonNull).sorted(Seniority.ORDER).forEach(p -> work.add(new PeerWork(p)));
        for (PeerWork w : work) {
            if (!w.key.equals(keyOf(changed, w))) {
                return Optional.empty(); // a change filed under another key than the peer's own: the caller is confused
            }
            planner.validate(group, w, namespaces);
            if (w.failed()) {
                return Optional.empty();
            }
        }
        // the node-key entries this plan may change: the changed peers' old ones (forgotten here) and their new ones
        Set<String> nodeKeysChanged = new HashSet<>();
        for (String key : changed.keySet()) {
            PlanMemory.Remembered old = memory.peers.get(key);
            if (old != null && old.uid() != null) {
                nodeKeysChanged.add(NodeKeys.peerEntry(old.uid()));
            }
        }
        changed.keySet().forEach(key -> memory.forget(key, pools));

        AddressClaims claims = new AddressClaims(context, planner.guard(), memory.index);
        for (PeerWork w : work) {
            AddressClaims.Wanted wanted;
            try {
                wanted = claims.wanted(w);
            } catch (RuntimeException e) {
                return Optional.empty();
            }
            List<Cidr> all = wanted.all();
            if (memory.attempts.touchesOthers(w.key, all)) {
                return Optional.empty();
            }
            memory.attempts.add(w.key, all);
            claims.claimWanted(w, wanted);
            if (w.contested) {
                return Optional.empty();
            }
        }
        claims.allocate(work);
        // shared public keys are found before any peer mints a key, so a plan that falls back minted nothing
        Set<String> brought = new HashSet<>();
        for (PeerWork w : work) {
            if (w.failed() || w.exhausted) {
                return Optional.empty();
            }
            String own;
            try {
                own = w.notAllowed ? null : planner.userPublicKey(context, w.peer);
            } catch (RuntimeException e) {
                return Optional.empty();
            }
            if (own != null && (memory.presentedByOthers(own, w.key) || !brought.add(own) || own.equals(context.serverPublicKey()))) {
                return Optional.empty();
            }
        }
        PublicKeyClaims publicKeys = new PublicKeyClaims(Seniority.key(context.instance()), context.serverPublicKey());
        List<PeerPlan> plans = new ArrayList<>(work.size());
        for (PeerWork w : work) {
            if (w.failed() || w.exhausted) {
                return Optional.empty();
            }
            PeerSteps.Keys keys = planner.resolveKeys(context, w);
            PeerSteps.claimPublicKey(w, keys, publicKeys);
            if (w.failed() || memory.presentedByOthers(w.presentedKey, w.key)
                    || w.problems.stream().anyMatch(p -> Reasons.PUBLIC_KEY_TAKEN.equals(p.reason()))) {
                return Optional.empty();
            }
            PeerPlan plan = planner.render(context, w, keys);
            if (w.failed()) {
                return Optional.empty();
            }
            plans.add(plan);
        }

        // decided: only now does anything leave this class
        for (int i = 0; i < work.size(); i++) {
            PeerWork w = work.get(i);
            MemoryFill.remember(memory, group, w);
            Map<String, String> entries = InstancePlanner.nodeKeys(context.instance(), group.key(), List.of(plans.get(i)));
            memory.nodeKeys.putAll(entries);
            nodeKeysChanged.addAll(entries.keySet());
            MemoryFill.settle(memory, group, w);
        }
        plans.forEach(planned);
        return Optional.of(new InstancePlan(context.usable(), context.problem(), group.accepted(), group.key().condition(),
                context.serverPublicKey(), context.nodeName(), context.endpoint(), group.interfaceName(), group.listenPort(),
                InstancePlanner.poolStatus(pools, MemoryFill.poolCounts(memory, pools)), group.key().toCreate(),
                List.copyOf(plans), false, memory.collisions, InstancePlanner.allocations(work),
                Collections.unmodifiableMap(memory.nodeKeys), Collections.unmodifiableSet(nodeKeysChanged)));
    }

    private static String keyOf(Map<String, VpnPeer> changed, PeerWork w) {
        return changed.get(w.key) == w.peer ? w.key : null;
    }
}
