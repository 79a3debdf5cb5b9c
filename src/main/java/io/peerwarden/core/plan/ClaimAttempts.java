package io.peerwarden.core.plan;

import inet.ipaddr.IPAddress;
import inet.ipaddr.format.util.AssociativeAddressTrie;
import inet.ipaddr.format.util.AssociativeAddressTrie.AssociativeTrieNode;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie;
import io.peerwarden.core.net.Cidr;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every prefix each peer of a group asked for in step 1 of its last plan, claimed or not (the
 * {@link io.peerwarden.core.net.AllowedIpIndex} holds only the winners, and never two owners of overlapping
 * prefixes; this holds everyone's attempts, overlapping or not). An incremental plan asks it whether a
 * changed peer's old or new prefixes touch anybody else's: when they touch nobody, no other peer's
 * outcome can depend on the change. O(address bits) per query, plus the overlapping attempts visited.
 */
final class ClaimAttempts {

    private final IPv4AddressAssociativeTrie<Set<String>> v4 = new IPv4AddressAssociativeTrie<>();
    private final IPv6AddressAssociativeTrie<Set<String>> v6 = new IPv6AddressAssociativeTrie<>();
    private final Map<String, List<Cidr>> byOwner = new HashMap<>();

    void clearAll() {
        v4.clear();
        v6.clear();
        byOwner.clear();
    }

    void add(String owner, List<Cidr> cidrs) {
        if (cidrs.isEmpty()) {
            return;
        }
        remove(owner);
        byOwner.put(owner, List.copyOf(cidrs));
        for (Cidr cidr : cidrs) {
            Set<String> owners = cidr.isIPv4() ? v4.get(cidr.block().toIPv4()) : v6.get(cidr.block().toIPv6());
            if (owners == null) {
                owners = new LinkedHashSet<>(2);
                if (cidr.isIPv4()) {
                    v4.put(cidr.block().toIPv4(), owners);
                } else {
                    v6.put(cidr.block().toIPv6(), owners);
                }
            }
            owners.add(owner);
        }
    }

    void remove(String owner) {
        List<Cidr> held = byOwner.remove(owner);
        if (held == null) {
            return;
        }
        for (Cidr cidr : held) {
            Set<String> owners = cidr.isIPv4() ? v4.get(cidr.block().toIPv4()) : v6.get(cidr.block().toIPv6());
            if (owners != null) {
                owners.remove(owner);
                if (owners.isEmpty()) {
                    if (cidr.isIPv4()) {
                        v4.remove(cidr.block().toIPv4());
                    } else {
                        v6.remove(cidr.block().toIPv6());
                    }
                }
            }
        }
    }

    /** True when any of {@code cidrs} overlaps (equal, containing or contained) an attempt of an owner other than {@code owner}. */
    boolean touchesOthers(String owner, List<Cidr> cidrs) {
        for (Cidr cidr : cidrs) {
            boolean touches = cidr.isIPv4() ? touches(v4, cidr.block().toIPv4(), owner) : touches(v6, cidr.block().toIPv6(), owner);
            if (touches) {
                return true;
            }
        }
        return false;
    }

    private static <A extends IPAddress> boolean touches(AssociativeAddressTrie<A, Set<String>> trie, A block, String owner) {
        AssociativeTrieNode<A, Set<String>> containing = trie.elementsContaining(block);
        if (containing != null) {
            Iterator<? extends AssociativeTrieNode<A, Set<String>>> it = containing.containingFirstIterator(true);
            while (it.hasNext()) {
                if (others(it.next().getValue(), owner)) {
                    return true;
                }
            }
        }
        AssociativeTrieNode<A, Set<String>> inside = trie.elementsContainedBy(block);
        if (inside != null) {
            Iterator<? extends AssociativeTrieNode<A, Set<String>>> it = inside.nodeIterator(true);
            while (it.hasNext()) {
                if (others(it.next().getValue(), owner)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean others(Set<String> owners, String owner) {
        return owners.size() > 1 || owners.size() == 1 && !owners.contains(owner);
    }
}
