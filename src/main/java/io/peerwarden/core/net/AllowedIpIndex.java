package io.peerwarden.core.net;

import inet.ipaddr.IPAddress;
import inet.ipaddr.format.util.AssociativeAddressTrie;
import inet.ipaddr.format.util.AssociativeAddressTrie.AssociativeTrieNode;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import inet.ipaddr.ipv6.IPv6Address;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The prefixes claimed by all peers of one instance (allowed IPs and site subnets), answering
 * "does this prefix overlap a claimed one, and whose?" in O(address bits) per query with one
 * binary address trie per family.
 *
 * <p>Who keeps a contested prefix is the caller's decision: it claims peers in seniority order and
 * the first claimer keeps the prefix; a later {@link #claim} that overlaps another owner claims
 * nothing and returns the conflicts. Two owners therefore never hold overlapping prefixes, while one
 * owner's own prefixes may overlap each other.
 *
 * <p>Next to the tries it keeps, per family, the union of the claimed addresses as merged runs
 * ({@link ClaimedRanges}), updated on each claim and release, so the lowest unclaimed address of a pool
 * ({@link #lowestUnclaimed}) costs O(log runs) and not a walk over the claims below it.
 *
 * <p>Answers are deterministic: among several overlapping claims the widest one containing the
 * requested prefix wins, else the lowest one inside it. Not thread-safe: one reconcile owns it.
 *
 * @param <K> identifies an owner, e.g. a peer's namespace/name
 */
public final class AllowedIpIndex<K> {

    /** A prefix held by an owner. */
    public record Claim<K>(K owner, Cidr cidr) {
        public Claim {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(cidr, "cidr");
        }
    }

    /** A requested prefix that overlaps a prefix another owner holds. */
    public record Conflict<K>(Cidr requested, Claim<K> holder) {
    }

    private final IPv4AddressAssociativeTrie<Claim<K>> v4 = new IPv4AddressAssociativeTrie<>();
    private final IPv6AddressAssociativeTrie<Claim<K>> v6 = new IPv6AddressAssociativeTrie<>();
    private final ClaimedRanges v4Ranges = new ClaimedRanges();
    private final ClaimedRanges v6Ranges = new ClaimedRanges();
    private final Map<K, Set<Cidr>> byOwner = new LinkedHashMap<>();
    private long releases;

    /** Some claim overlapping {@code cidr} (equal, containing or contained), or empty. */
    public Optional<Claim<K>> findOverlap(Cidr cidr) {
        return findOverlap(cidr, claim -> true);
    }

    /** True when {@code cidr} overlaps any claim. */
    public boolean isClaimed(Cidr cidr) {
        return findOverlap(cidr).isPresent();
    }

    /**
     * For each of {@code cidrs} that overlaps a claim of another owner, the conflict with that
     * claim. Overlaps with {@code owner}'s own claims are not conflicts. In the order given.
     */
    public List<Conflict<K>> conflicts(K owner, Collection<Cidr> cidrs) {
        Objects.requireNonNull(owner, "owner");
        List<Conflict<K>> result = new ArrayList<>();
        for (Cidr cidr : cidrs) {
            findOverlap(cidr, claim -> !claim.owner().equals(owner))
                    .ifPresent(holder -> result.add(new Conflict<>(cidr, holder)));
        }
        return result;
    }

    /**
     * Atomically claims all of {@code cidrs} for {@code owner}: when any of them conflicts with
     * another owner nothing is claimed and the conflicts are returned; otherwise all are claimed
     * and the result is empty. Claiming a prefix whose block the owner already holds is a no-op.
     */
    public List<Conflict<K>> claim(K owner, Collection<Cidr> cidrs) {
        List<Conflict<K>> conflicts = conflicts(owner, cidrs);
        if (!conflicts.isEmpty()) {
            return conflicts;
        }
        for (Cidr cidr : cidrs) {
            Claim<K> claim = new Claim<>(owner, cidr);
            boolean added = cidr.isIPv4() ? putIfAbsent(v4, cidr.block().toIPv4(), claim) : putIfAbsent(v6, cidr.block().toIPv6(), claim);
            if (added) {
                byOwner.computeIfAbsent(owner, k -> new LinkedHashSet<>()).add(cidr);
                rangesOf(cidr).add(cidr.first().getValue(), cidr.last().getValue());
            }
        }
        return List.of();
    }

    /** Releases every prefix {@code owner} holds. */
    public void release(K owner) {
        Set<Cidr> held = byOwner.remove(owner);
        if (held == null) {
            return;
        }
        for (Cidr cidr : held) {
            if (cidr.isIPv4()) {
                v4.remove(cidr.block().toIPv4());
            } else {
                v6.remove(cidr.block().toIPv6());
            }
            // exact: no other owner's claim overlaps any of these blocks, and all of them go
            rangesOf(cidr).remove(cidr.first().getValue(), cidr.last().getValue());
        }
        releases++;
    }

    /** The prefixes {@code owner} holds, in the order claimed. */
    public List<Cidr> claimsOf(K owner) {
        return List.copyOf(byOwner.getOrDefault(owner, Set.of()));
    }

    /** Number of claimed prefixes. */
    public int size() {
        return v4.size() + v6.size();
    }

    /** How many times an owner's claims were released (an owner holding nothing does not count). */
    public long releaseCount() {
        return releases;
    }

    /** The widest claim containing {@code address}, or empty when the address is free. */
    public Optional<Claim<K>> claimContaining(IPAddress address) {
        Cidr host = Cidr.host(address);
        AssociativeTrieNode<? extends IPAddress, Claim<K>> node = host.isIPv4()
                ? v4.shortestPrefixMatchNode(host.block().toIPv4())
                : v6.shortestPrefixMatchNode(host.block().toIPv6());
        return node == null ? Optional.empty() : Optional.of(node.getValue());
    }

    /**
     * The lowest address of {@code from..to} (one family, {@code from <= to}) that no claim covers, or empty
     * when all of them are claimed: one lookup in the merged runs of claimed addresses, O(log n) however many
     * claims lie below it.
     */
    public Optional<IPAddress> lowestUnclaimed(IPAddress from, IPAddress to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isIPv4() != to.isIPv4()) {
            throw new IllegalArgumentException(from + " and " + to + " are not of one family");
        }
        BigInteger free = (from.isIPv4() ? v4Ranges : v6Ranges).lowestUnclaimedFrom(from.getValue());
        if (free.compareTo(to.getValue()) > 0) {
            return Optional.empty();
        }
        return Optional.of(free.equals(from.getValue()) ? from.withoutPrefixLength()
                : from.isIPv4() ? new IPv4Address(free.intValue()) : new IPv6Address(free));
    }

    /** All claims, IPv4 first, each family in address order. */
    public List<Claim<K>> claims() {
        List<Claim<K>> all = new ArrayList<>(size());
        v4.nodeIterator(true).forEachRemaining(n -> all.add(n.getValue()));
        v6.nodeIterator(true).forEachRemaining(n -> all.add(n.getValue()));
        return all;
    }

    // not the trie's putNew: in ipaddress 5.5.1 it reports false for an existing key but still replaces its value
    private static <A extends IPAddress, K> boolean putIfAbsent(AssociativeAddressTrie<A, Claim<K>> trie, A block, Claim<K> claim) {
        if (trie.contains(block)) {
            return false;
        }
        trie.put(block, claim);
        return true;
    }

    private ClaimedRanges rangesOf(Cidr cidr) {
        return cidr.isIPv4() ? v4Ranges : v6Ranges;
    }

    private Optional<Claim<K>> findOverlap(Cidr cidr, Predicate<Claim<K>> eligible) {
        Objects.requireNonNull(cidr, "cidr");
        return cidr.isIPv4()
                ? findOverlap(v4, cidr.block().toIPv4(), eligible)
                : findOverlap(v6, cidr.block().toIPv6(), eligible);
    }

    private static <A extends IPAddress, K> Optional<Claim<K>> findOverlap(
            AssociativeAddressTrie<A, Claim<K>> trie, A block, Predicate<Claim<K>> eligible) {
        // claims equal to or containing the block: at most one per prefix length on the path from the root,
        // listed widest first
        AssociativeTrieNode<A, Claim<K>> containing = trie.elementsContaining(block);
        if (containing != null) {
            Iterator<? extends AssociativeTrieNode<A, Claim<K>>> it = containing.containingFirstIterator(true);
            while (it.hasNext()) {
                Claim<K> claim = it.next().getValue();
                if (eligible.test(claim)) {
                    return Optional.of(claim);
                }
            }
        }
        // claims inside the block: the lowest eligible one; only the caller's own claims are ever skipped
        AssociativeTrieNode<A, Claim<K>> inside = trie.elementsContainedBy(block);
        if (inside != null) {
            Iterator<? extends AssociativeTrieNode<A, Claim<K>>> it = inside.nodeIterator(true);
            while (it.hasNext()) {
                Claim<K> claim = it.next().getValue();
                if (eligible.test(claim)) {
                    return Optional.of(claim);
                }
            }
        }
        return Optional.empty();
    }
}
