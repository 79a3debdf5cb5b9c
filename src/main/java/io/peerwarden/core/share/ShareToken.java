package io.peerwarden.core.share;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The token of a share link: {@code <namespace>.<random>}, where random is {@value #RANDOM_BYTES} bytes
 * from a {@link SecureRandom} (256 bits) in URL-safe base64 without padding (43 characters). The
 * namespace part lets the server find the token's record with one GET in that namespace (never a LIST);
 * the record is named after the SHA-256 of the whole token ({@link #recordName()}) and holds only that
 * hash, so whoever can read the record cannot rebuild the token.
 *
 * <p>{@link #toString()} never shows the random part: a token logged by mistake stays unusable. What
 * may be logged to tell tokens apart is {@link #logId()}, a prefix of the hash.
 */
public final class ShareToken {

    /** Bytes of randomness in a token. */
    public static final int RANDOM_BYTES = 32;
    /** Characters of the random part: 32 bytes in unpadded base64. */
    static final int RANDOM_CHARS = 43;
    /** Prefix of every record's name; the rest is {@link #RECORD_HASH_CHARS} hex digits of the token's hash. */
    public static final String RECORD_PREFIX = "pw-share-";
    static final int RECORD_HASH_CHARS = 32;
    static final int LOG_ID_CHARS = 8;
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern RANDOM = Pattern.compile("[A-Za-z0-9_-]{" + RANDOM_CHARS + "}");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final String namespace;
    private final String random;
    private final String hash;

    private ShareToken(String namespace, String random) {
        this.namespace = namespace;
        this.random = random;
        this.hash = sha256Hex(namespace + "." + random);
    }

    /** A new token for a peer in {@code namespace}. */
    public static ShareToken mint(String namespace, SecureRandom random) {
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("not a namespace name");
        }
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return new ShareToken(namespace, ENCODER.encodeToString(bytes));
    }

    /**
     * The token written in {@code text}, or empty when it is not one (wrong length, characters, namespace, or a
     * random part that is not the canonical encoding of 32 bytes). Never throws, whatever the text.
     */
    public static Optional<ShareToken> parse(String text) {
        if (text == null || text.length() > 63 + 1 + RANDOM_CHARS) {
            return Optional.empty();
        }
        int dot = text.indexOf('.');
        if (dot < 1) {
            return Optional.empty();
        }
        String namespace = text.substring(0, dot);
        String random = text.substring(dot + 1);
        if (!NAMESPACE.matcher(namespace).matches() || !RANDOM.matcher(random).matches()) {
            return Optional.empty();
        }
        byte[] bytes = Base64.getUrlDecoder().decode(random);
        if (bytes.length != RANDOM_BYTES || !ENCODER.encodeToString(bytes).equals(random)) {
            return Optional.empty();
        }
        return Optional.of(new ShareToken(namespace, random));
    }

    /** The namespace of the peer (and of the record). */
    public String namespace() {
        return namespace;
    }

    /** The token as it goes into a URL: hand it only to the person the config is for. */
    public String text() {
        return namespace + "." + random;
    }

    /** SHA-256 of {@link #text()}, lower-case hex: all the record keeps of the token. */
    public String hash() {
        return hash;
    }

    /** Name of the Secret that records this token, in {@link #namespace()}. */
    public String recordName() {
        return RECORD_PREFIX + hash.substring(0, RECORD_HASH_CHARS);
    }

    /** What a log line may say to tell this token from others: a prefix of its hash. */
    public String logId() {
        return hash.substring(0, LOG_ID_CHARS);
    }

    /** True when {@code otherHash} is this token's hash, compared in constant time. */
    public boolean hashEquals(String otherHash) {
        return otherHash != null && MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                otherHash.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShareToken other && other.hash.equals(hash);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    /** Namespace and {@link #logId()} only: never the token. */
    @Override
    public String toString() {
        return "ShareToken[" + namespace + ", " + logId() + "]";
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
