package io.peerwarden.core.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Public keys of private keys seen before, so a plan that meets the same stored private key again (every
 * unchanged peer, every plan) pays a SHA-256 and a map lookup instead of an X25519 derivation.
 *
 * <p>Bounded (least recently used entries go first) and keyed by the SHA-256 of the private key, so the memo
 * holds no private key: one that changed or was deleted leaves only its digest and public key behind until
 * evicted, and a changed key is simply another entry, derived on first use. Derivation runs outside the lock,
 * so plans on several threads do not wait on each other's X25519. Thread-safe; nothing here logs, and
 * {@link #toString} prints only sizes.
 */
public final class PublicKeyMemo {

    /** 256 bits of a private key's SHA-256. */
    private record Digest(long a, long b, long c, long d) {
    }

    private final int capacity;
    private final UnaryOperator<String> derive;
    private final Map<Digest, String> publicKeys;
    private final AtomicLong derivations = new AtomicLong();

    /**
     * @param capacity how many public keys are remembered at most
     * @param derive   the derivation (e.g. {@link WireGuardKeys#publicKeyOf}); its failures pass through and are not remembered
     */
    public PublicKeyMemo(int capacity, UnaryOperator<String> derive) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.derive = Objects.requireNonNull(derive, "derive");
        this.publicKeys = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Digest, String> eldest) {
                return size() > PublicKeyMemo.this.capacity;
            }
        };
    }

    /** The public key of {@code privateKey}, derived only when this memo has not seen that exact key (or evicted it). */
    public String publicKeyOf(String privateKey) {
        Objects.requireNonNull(privateKey, "privateKey");
        Digest digest = digest(privateKey);
        synchronized (publicKeys) {
            String known = publicKeys.get(digest);
            if (known != null) {
                return known;
            }
        }
        String publicKey = derive.apply(privateKey);
        derivations.incrementAndGet();
        synchronized (publicKeys) {
            publicKeys.put(digest, publicKey);
        }
        return publicKey;
    }

    /** How many derivations this memo made (misses). */
    public long derivations() {
        return derivations.get();
    }

    /** How many public keys are remembered now. */
    public int size() {
        synchronized (publicKeys) {
            return publicKeys.size();
        }
    }

    @Override
    public String toString() {
        return "PublicKeyMemo[" + size() + " of " + capacity + " remembered, " + derivations() + " derived]";
    }

    private static Digest digest(String privateKey) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(privateKey.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK");
        }
        ByteBuffer b = ByteBuffer.wrap(hash);
        return new Digest(b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }
}
