package io.peerwarden.core.net;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Hands out the lowest free host address of one pool: not reserved (see {@link AddressPool}) and
 * overlapping no claim of the shared {@link AllowedIpIndex}.
 *
 * <p>Each allocation asks the index for the lowest unclaimed address at or after the pool's start
 * ({@link AllowedIpIndex#lowestUnclaimed}, one lookup in its merged runs of claimed addresses) and steps
 * past a reserved address at most once per reserved address (three at most): O(log n) per allocation
 * whatever the pool's occupancy, with no state of its own, so claims and releases made on the index
 * between allocations (by anyone) are always seen. Not thread-safe: allocation for an instance must be
 * serialised by the caller, like every use of the index.
 */
public final class AddressAllocator<K> {

    private final AddressPool pool;
    private final AllowedIpIndex<K> index;
    private final IPAddress first;
    private final IPAddress last;

    public AddressAllocator(AddressPool pool, AllowedIpIndex<K> index) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.index = Objects.requireNonNull(index, "index");
        this.first = pool.network().first();
        this.last = pool.network().last();
    }

    /** Claims the lowest free host prefix (/32 or /128) of the pool for {@code owner}; empty when the pool is exhausted. */
    public Optional<Cidr> allocate(K owner) {
        Objects.requireNonNull(owner, "owner");
        Optional<Cidr> free = lowestFree();
        free.ifPresent(cidr -> {
            List<AllowedIpIndex.Conflict<K>> conflicts = index.claim(owner, List.of(cidr));
            if (!conflicts.isEmpty()) {
                // the index said no claim covers it: only a broken index gets here
                throw new IllegalStateException(cidr + " was free but claiming it conflicts with " + conflicts);
            }
        });
        return free;
    }

    /** The address {@link #allocate} would hand out next, without claiming it. */
    public Optional<Cidr> peek() {
        return lowestFree();
    }

    private Optional<Cidr> lowestFree() {
        IPAddress from = first;
        while (true) {
            Optional<IPAddress> unclaimed = index.lowestUnclaimed(from, last);
            if (unclaimed.isEmpty()) {
                return Optional.empty();
            }
            IPAddress candidate = unclaimed.get();
            if (!pool.isReserved(candidate)) {
                return Optional.of(Cidr.host(candidate));
            }
            if (candidate.compareTo(last) >= 0) {
                return Optional.empty();
            }
            from = candidate.increment(1);
        }
    }
}
