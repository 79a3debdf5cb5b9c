package io.peerwarden.core.net;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * The union of the claimed blocks of one address family as disjoint, non-adjacent runs of addresses
 * (first → last, both included, as unsigned numbers), so "the lowest unclaimed address at or after x" is one
 * floor lookup: O(log runs) whatever the number of claims. {@link AllowedIpIndex} keeps it next to its tries.
 *
 * <p>{@link #remove} takes a block out of the union entirely. That is exact only because the index never lets
 * two owners hold overlapping blocks and releases all of an owner's blocks at once: when an owner's block goes,
 * no remaining claim covers any of its addresses. Not thread-safe, like the index.
 */
final class ClaimedRanges {

    private final TreeMap<BigInteger, BigInteger> runs = new TreeMap<>();

    /** Adds the addresses {@code first..last} to the union, merging with overlapping and adjacent runs. */
    void add(BigInteger first, BigInteger last) {
        BigInteger start = first;
        BigInteger end = last;
        Map.Entry<BigInteger, BigInteger> below = runs.floorEntry(start);
        if (below != null && below.getValue().compareTo(start.subtract(BigInteger.ONE)) >= 0) {
            start = below.getKey();
            end = end.max(below.getValue());
            runs.remove(below.getKey());
        }
        BigInteger reach = end.add(BigInteger.ONE);
        Map.Entry<BigInteger, BigInteger> next = runs.ceilingEntry(start);
        while (next != null && next.getKey().compareTo(reach) <= 0) {
            end = end.max(next.getValue());
            reach = end.add(BigInteger.ONE);
            runs.remove(next.getKey());
            next = runs.ceilingEntry(start);
        }
        runs.put(start, end);
    }

    /** Takes the addresses {@code first..last} out of the union (see the class comment for why this is exact). */
    void remove(BigInteger first, BigInteger last) {
        Map.Entry<BigInteger, BigInteger> run = runs.floorEntry(first);
        if (run == null || run.getValue().compareTo(first) < 0) {
            run = runs.higherEntry(first);
        }
        while (run != null && run.getKey().compareTo(last) <= 0) {
            BigInteger start = run.getKey();
            BigInteger end = run.getValue();
            runs.remove(start);
            if (start.compareTo(first) < 0) {
                runs.put(start, first.subtract(BigInteger.ONE));
            }
            if (end.compareTo(last) > 0) {
                runs.put(last.add(BigInteger.ONE), end);
                return;
            }
            run = runs.higherEntry(start);
        }
    }

    /**
     * The lowest address at or after {@code from} in no run: {@code from} itself, or the address right after
     * the run containing it (possibly one past the family's highest address; the caller bounds it).
     */
    BigInteger lowestUnclaimedFrom(BigInteger from) {
        Map.Entry<BigInteger, BigInteger> run = runs.floorEntry(from);
        if (run == null || run.getValue().compareTo(from) < 0) {
            return from;
        }
        // runs are never adjacent: the address after a run is unclaimed
        return run.getValue().add(BigInteger.ONE);
    }

    /** Number of separate runs. */
    int runs() {
        return runs.size();
    }

    @Override
    public String toString() {
        return "ClaimedRanges[" + runs.size() + " runs]";
    }
}
