package io.peerwarden.core.net;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Instances on the same node must not share address space: their interfaces would route the same
 * prefix. Finds the instances whose pools overlap.
 */
public final class PoolOverlaps {

    /** A pool of {@code first} overlapping a pool of {@code second}; {@code first} sorts before {@code second}. */
    public record Overlap<K>(K first, Cidr firstPool, K second, Cidr secondPool) {
    }

    private PoolOverlaps() {
    }

    /**
     * Every overlapping pool pair between two different instances, sorted by first instance, second
     * instance (in {@code order}), then by pool (IPv4 first). Pools of one instance are never
     * compared with each other. An instance has at most one pool per family, so a pair of instances
     * appears at most twice (once per family).
     *
     * <p>Each instance's pools go into an {@link AllowedIpIndex} and the pools of every instance sorted
     * after it are probed against it: O(n² · log) for n instances on a node, which is a handful.
     */
    public static <K> List<Overlap<K>> find(Map<K, List<AddressPool>> poolsByInstance, Comparator<? super K> order) {
        Objects.requireNonNull(order, "order");
        List<K> instances = new ArrayList<>(poolsByInstance.keySet());
        instances.sort(order);
        List<Overlap<K>> result = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            K first = instances.get(i);
            AllowedIpIndex<K> index = new AllowedIpIndex<>();
            index.claim(first, networks(poolsByInstance.get(first)));
            for (int j = i + 1; j < instances.size(); j++) {
                K second = instances.get(j);
                List<Overlap<K>> pair = new ArrayList<>();
                for (AllowedIpIndex.Conflict<K> conflict : index.conflicts(second, networks(poolsByInstance.get(second)))) {
                    pair.add(new Overlap<>(first, conflict.holder().cidr(), second, conflict.requested()));
                }
                pair.sort(Comparator.comparing(Overlap<K>::firstPool).thenComparing(Overlap::secondPool));
                result.addAll(pair);
            }
        }
        return result;
    }

    /** {@link #find(Map, Comparator)} in the keys' natural order. */
    public static <K extends Comparable<? super K>> List<Overlap<K>> find(Map<K, List<AddressPool>> poolsByInstance) {
        return find(poolsByInstance, Comparator.naturalOrder());
    }

    private static List<Cidr> networks(List<AddressPool> pools) {
        return pools == null ? List.of() : pools.stream().map(AddressPool::network).toList();
    }
}
