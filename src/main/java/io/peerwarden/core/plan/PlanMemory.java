package io.peerwarden.core.plan;

import io.peerwarden.core.net.AddressPool;
import io.peerwarden.core.net.AllowedIpIndex;
import io.peerwarden.core.net.Cidr;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the planner keeps of one instance between its plans, so that a plan of a few changed peers
 * ({@link PeerChanges#only}) decides exactly what a plan of every peer would, without redoing the others.
 * One per instance (by UID), kept by the caller; not thread-safe (JOSDK never reconciles one instance
 * twice at once). A caller that is unsure of what it holds drops it: a new one makes the next plan a full one.
 *
 * <p>It holds, from the last plan: the instance-level inputs that decided it (a fingerprint: any difference
 * makes the next plan a full one), per peer what it claimed and asked for (not its plan: see {@link Remembered}), the claims index
 * (the winners), every peer's attempted claims (winners or not), who presented which public key, the
 * per-pool allocated counts, the collision count and the node-key entries. The caller must report as
 * changed every peer whose spec, metadata, status, config Secret, key Secret or namespace labels changed.
 */
public final class PlanMemory {

    /**
     * One peer as its last plan left it: what decides whether another peer's change can move it, not the plan itself
     * (its status and config Secret are the caller's, written from the plan; the Secret's data, a rendered config with
     * its key, would otherwise be held twice for as long as the memory lives).
     *
     * @param uid the peer's UID (its node-key entry), or null
     */
    record Remembered(String uid, List<Cidr> attempted, List<Cidr> addresses, String presentedKey,
                      boolean collided, boolean exhausted, boolean failed, boolean contested) {
        /**
         * Its outcome could move with any other peer's change (a full pool takes the first address anyone frees;
         * an internal failure is retried): while one is remembered, only full plans are made.
         */
        boolean blocking() {
            return exhausted || failed;
        }
    }

    Object fingerprint;
    final Map<String, Remembered> peers = new HashMap<>();
    AllowedIpIndex<String> index = new AllowedIpIndex<>();
    final ClaimAttempts attempts = new ClaimAttempts();
    /** public key -> the peer that presented it (a String), or the peers (a Set: only shared keys need one) */
    final Map<String, Object> presenters = new HashMap<>();
    long[] allocatedPerPool = new long[0];
    int collisions;
    /** peers whose outcome any other peer's change could move (see {@link Remembered#blocking}) */
    int blocking;
    final Map<String, String> nodeKeys = new LinkedHashMap<>();
    /** false when the ledger the caller records this plan into would make the next full plan decide differently */
    boolean settled;
    /** peer UID -> the addresses the ledger must hold at the next plan (what the last plan decided, where it differed) */
    final Map<String, List<String>> ledgerDue = new HashMap<>();

    /** The number of peers remembered. */
    public int size() {
        return peers.size();
    }

    /** Whether the peer with this {@link Seniority#key} is remembered. */
    public boolean remembers(String peerKey) {
        return peers.containsKey(peerKey);
    }

    void clear() {
        fingerprint = null;
        peers.clear();
        index = new AllowedIpIndex<>();
        attempts.clearAll();
        presenters.clear();
        allocatedPerPool = new long[0];
        collisions = 0;
        blocking = 0;
        nodeKeys.clear();
        settled = false;
        ledgerDue.clear();
    }

    /** An incremental plan may start from here: the same instance context, and the ledger holds what was decided. */
    boolean canContinue(Object currentFingerprint, AllocationLedger ledger) {
        if (fingerprint == null || !settled || blocking > 0 || !fingerprint.equals(currentFingerprint)) {
            return false;
        }
        // once per plan that allocated (a first rollout: every peer once), then empty
        for (Map.Entry<String, List<String>> due : ledgerDue.entrySet()) {
            if (!ledger.get(due.getKey()).map(due.getValue()::equals).orElse(false)) {
                return false;
            }
        }
        ledgerDue.clear();
        return true;
    }

    void remember(String key, Remembered r, List<AddressPool> pools) {
        peers.put(key, r);
        attempts.add(key, r.attempted());
        if (r.presentedKey() != null) {
            presenters.merge(r.presentedKey(), key, (held, added) -> {
                Set<String> holders = held instanceof String one ? new HashSet<>(Set.of(one)) : castSet(held);
                holders.add((String) added);
                return holders;
            });
        }
        count(r, pools, 1);
    }

    void forget(String key, List<AddressPool> pools) {
        Remembered r = peers.remove(key);
        if (r == null) {
            return;
        }
        index.release(key);
        attempts.remove(key);
        if (r.presentedKey() != null) {
            Object held = presenters.get(r.presentedKey());
            if (key.equals(held)) {
                presenters.remove(r.presentedKey());
            } else if (held instanceof Set<?>) {
                Set<String> holders = castSet(held);
                holders.remove(key);
                if (holders.isEmpty()) {
                    presenters.remove(r.presentedKey());
                }
            }
        }
        if (r.uid() != null) {
            nodeKeys.remove(io.peerwarden.core.node.NodeKeys.peerEntry(r.uid()));
        }
        count(r, pools, -1);
    }

    /** True when someone other than {@code key} presented {@code publicKey}. */
    boolean presentedByOthers(String publicKey, String key) {
        if (publicKey == null) {
            return false;
        }
        Object held = presenters.get(publicKey);
        if (held == null) {
            return false;
        }
        if (held instanceof String one) {
            return !one.equals(key);
        }
        Set<String> holders = castSet(held);
        return holders.size() > 1 || !holders.contains(key);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> castSet(Object held) {
        return (Set<String>) held;
    }

    private void count(Remembered r, List<AddressPool> pools, int sign) {
        if (allocatedPerPool.length != pools.size()) {
            allocatedPerPool = new long[pools.size()];
        }
        for (int i = 0; i < pools.size(); i++) {
            AddressPool pool = pools.get(i);
            if (r.addresses().stream().anyMatch(pool::contains)) {
                allocatedPerPool[i] += sign;
            }
        }
        if (r.collided()) {
            collisions += sign;
        }
        if (r.blocking()) {
            blocking += sign;
        }
    }
}
