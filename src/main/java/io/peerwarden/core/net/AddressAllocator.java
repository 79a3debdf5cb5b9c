package io.peerwarden.core.net;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Hands out the lowest free host address of one pool: not reserved (see {@link AddressPool}) and
 * overlapping no claim of the shared {@link AllowedIpIndex}.
 *
 * <p>It keeps a cursor below which every address is known to be taken, and from it jumps over
 * whole claimed blocks (the widest claim containing the cursor) instead of walking addresses one by
 * one, so each allocation costs O(bits) per claim it steps over and successive allocations never
 * rescan the pool. Claims added by others are seen at the next step; when the index reports a
 * release the cursor returns to the start of the pool, since a freed address may lie behind it.
 * Not thread-safe: allocation for an instance must be serialised by the caller.
 */
public final class AddressAllocator<K> {

    private final AddressPool pool;
    private final AllowedIpIndex<K> index;
    private final IPAddress first;
    private final IPAddress last;
    private IPAddress cursor;
    private long seenReleases;

    public AddressAllocator(AddressPool pool, AllowedIpIndex<K> index) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.index = Objects.requireNonNull(index, "index");
        this.first = pool.network().first();
        this.last = pool.network().last();
        this.cursor = first;
        this.seenReleases = index.releaseCount();
    }

    /** Claims the lowest free host prefix (/32 or /128) of the pool for {@code owner}; empty when the pool is exhausted. */
    public Optional<Cidr> allocate(K owner) {
        Objects.requireNonNull(owner, "owner");
        Optional<Cidr> free = lowestFree();
        free.ifPresent(cidr -> {
            List<AllowedIpIndex.Conflict<K>> conflicts = index.claim(owner, List.of(cidr));
            if (!conflicts.isEmpty()) {
                // lowestFree checked it against every claim: only a broken index gets here
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
        if (index.releaseCount() != seenReleases) {
            seenReleases = index.releaseCount();
            cursor = first;
        }
        IPAddress candidate = cursor;
        while (candidate != null) {
            IPAddress next;
            if (pool.isReserved(candidate)) {
                next = after(candidate);
            } else {
                Optional<AllowedIpIndex.Claim<K>> holder = index.claimContaining(candidate);
                if (holder.isEmpty()) {
                    cursor = candidate;
                    return Optional.of(Cidr.host(candidate));
                }
                next = after(holder.get().cidr().last());
            }
            candidate = next;
        }
        // exhausted: stay at the end until something is released
        cursor = last;
        return Optional.empty();
    }

    /** The address after {@code address} inside the pool, or null past its end. */
    private IPAddress after(IPAddress address) {
        if (address.compareTo(last) >= 0) {
            return null;
        }
        return address.increment(1);
    }
}
