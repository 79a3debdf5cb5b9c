package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.net.AddressPool;
import io.peerwarden.core.net.Cidr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes what a plan decided into its {@link PlanMemory}: a full plan refills it, an incremental one updates it. */
final class MemoryFill {

    private MemoryFill() {
    }

    /** After a full plan: {@code memory} was cleared; {@code work} in seniority order. */
    static void fill(PlanMemory memory, PlanGroup group, AddressClaims claims, List<PeerWork> work, Map<String, String> nodeKeys) {
        memory.fingerprint = group.fingerprint();
        memory.index = claims.index();
        claims.neighbourAttempts.forEach(memory.attempts::add);
        memory.nodeKeys.putAll(nodeKeys);
        memory.settled = true;
        for (PeerWork w : work) {
            remember(memory, group, w);
        }
        for (PeerWork w : work) {
            settle(memory, group, w);
        }
    }

    /** One peer's outcome into the memory (its earlier one already forgotten). */
    static void remember(PlanMemory memory, PlanGroup group, PeerWork w) {
        List<Cidr> attempted = new ArrayList<>(w.attempted);
        // its allocation is what the next plan's step 1 asks for again (the ledger records it)
        w.addresses.stream().filter(a -> !attempted.contains(a)).forEach(attempted::add);
        boolean collided = w.problems.stream().anyMatch(p -> Reasons.ALLOWED_IP_TAKEN.equals(p.reason()));
        memory.remember(w.key, new PlanMemory.Remembered(w.uid(), attempted, List.copyOf(w.addresses),
                w.presentedKey, collided, w.exhausted, w.failed(), w.contested), group.context().pools());
    }

    /**
     * Whether the next full plan, with the ledger holding this plan's allocations, decides as this one did: an
     * address allocated in step 2 is claimed in step 1 next time, which only matters when someone else's
     * (refused) attempt overlaps it; a peer without a UID cannot be recorded in the ledger at all.
     */
    static void settle(PlanMemory memory, PlanGroup group, PeerWork w) {
        if (w.allocated && (w.uid() == null || memory.attempts.touchesOthers(w.key, w.addresses))) {
            memory.settled = false;
        }
        if (w.uid() != null && !w.addresses.isEmpty()) {
            List<String> decided = w.addressStrings();
            if (!group.context().ledger().get(w.uid()).map(decided::equals).orElse(false)) {
                memory.ledgerDue.put(w.uid(), decided);
            }
        }
    }

    static long[] poolCounts(PlanMemory memory, List<AddressPool> pools) {
        return memory.allocatedPerPool.length == pools.size() ? memory.allocatedPerPool.clone() : new long[pools.size()];
    }
}
