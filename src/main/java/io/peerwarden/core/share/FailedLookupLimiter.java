package io.peerwarden.core.share;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Limits failed share-link look-ups per client: each client has a bucket of {@code burst} failures that
 * refills by one every {@code refillEvery}; while it is empty every look-up of that client is refused
 * (429) before anything is looked up. A client is an IPv4 address or an IPv6 /64 (one host usually has
 * a whole /64). Memory is bounded: at most {@code maxClients} buckets, the least recently seen dropped first
 * (a dropped client starts again with a full bucket). Successful look-ups cost nothing.
 */
public final class FailedLookupLimiter {

    private final int burst;
    private final Duration refillEvery;
    private final Clock clock;
    private final Map<Key, Bucket> buckets;

    public FailedLookupLimiter(int burst, Duration refillEvery, int maxClients, Clock clock) {
        if (burst < 1 || refillEvery.isZero() || refillEvery.isNegative() || maxClients < 1) {
            throw new IllegalArgumentException("burst, refill interval and client count must be positive");
        }
        this.burst = burst;
        this.refillEvery = refillEvery;
        this.clock = clock;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Bucket> eldest) {
                return size() > maxClients;
            }
        };
    }

    /** 10 failures at once, then one a minute, for up to 10,000 clients. */
    public static FailedLookupLimiter defaults(Clock clock) {
        return new FailedLookupLimiter(10, Duration.ofMinutes(1), 10_000, clock);
    }

    /** How long {@code client} must wait before its next look-up, or empty when it may look up now. */
    public synchronized Optional<Duration> blocked(InetAddress client) {
        Bucket bucket = buckets.get(Key.of(client));
        if (bucket == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        bucket.refill(now);
        if (bucket.tokens > 0) {
            return Optional.empty();
        }
        Duration wait = Duration.between(now, bucket.refilledAt.plus(refillEvery));
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }

    /** Records a failed look-up (unknown, expired, spent or malformed token) of {@code client}. */
    public synchronized void failed(InetAddress client) {
        Instant now = clock.instant();
        Bucket bucket = buckets.computeIfAbsent(Key.of(client), k -> new Bucket(burst, now));
        bucket.refill(now);
        if (bucket.tokens > 0) {
            bucket.tokens--;
        }
    }

    /** Buckets held now (at most maxClients). */
    public synchronized int clients() {
        return buckets.size();
    }

    private final class Bucket {
        int tokens;
        Instant refilledAt;

        Bucket(int tokens, Instant now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        void refill(Instant now) {
            if (tokens >= burst) {
                refilledAt = now;
                return;
            }
            long periods = Duration.between(refilledAt, now).toNanos() / refillEvery.toNanos();
            if (periods > 0) {
                tokens = (int) Math.min(burst, tokens + periods);
                refilledAt = tokens >= burst ? now : refilledAt.plus(refillEvery.multipliedBy(periods));
            }
        }
    }

    /** An IPv4 address, or the first 64 bits of an IPv6 one. */
    private record Key(byte[] bytes) {
        static Key of(InetAddress address) {
            byte[] raw = address.getAddress();
            return new Key(address instanceof Inet6Address ? Arrays.copyOf(raw, 8) : raw);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
