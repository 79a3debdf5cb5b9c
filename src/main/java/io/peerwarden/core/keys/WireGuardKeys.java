package io.peerwarden.core.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.KeyAgreement;

/**
 * WireGuard keys (Curve25519, 32 bytes, standard base64 with padding), byte-compatible with
 * {@code wg genkey}, {@code wg pubkey} and {@code wg genpsk}, using only the JDK's X25519.
 *
 * <p>All methods are static and thread-safe. Nothing here logs, and no exception message or
 * cause ever contains key material.
 */
public final class WireGuardKeys {

    /** Length of every WireGuard key (private, public, preshared) in bytes. */
    public static final int KEY_LENGTH = 32;
    /** Length of the base64 form: 43 characters plus one '=' of padding. */
    public static final int BASE64_LENGTH = 44;

    /** The X25519 base point, u = 9 (RFC 7748 section 4.1). */
    private static final BigInteger BASE_POINT_U = BigInteger.valueOf(9);
    /** SecureRandom is thread-safe; one instance avoids re-seeding per key. */
    private static final SecureRandom RANDOM = new SecureRandom();

    private WireGuardKeys() {
    }

    /** A new private key, clamped like {@code wg genkey} (RFC 7748 decodeScalar25519). */
    public static String generatePrivateKey() {
        byte[] key = randomBytes();
        clamp(key);
        try {
            return encode(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** RFC 7748 decodeScalar25519: what X25519 (and {@code wg}) makes of any 32 bytes used as a private key. */
    private static void clamp(byte[] key) {
        key[0] &= (byte) 248;
        key[31] &= (byte) 127;
        key[31] |= (byte) 64;
    }

    /**
     * Whether two base64 private keys are the same X25519 key. Implementations may store the key
     * clamped, so an unclamped key and its clamped form count as equal; text that is no key is
     * compared as text.
     */
    public static boolean samePrivateKey(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        try {
            byte[] x = Base64.getDecoder().decode(a);
            byte[] y = Base64.getDecoder().decode(b);
            if (x.length != KEY_LENGTH || y.length != KEY_LENGTH) {
                return a.equals(b);
            }
            clamp(x);
            clamp(y);
            return MessageDigest.isEqual(x, y);
        } catch (IllegalArgumentException e) {
            return a.equals(b);
        }
    }

    /** A new preshared key: 32 random bytes, like {@code wg genpsk}. */
    public static String generatePresharedKey() {
        return encode(randomBytes());
    }

    /**
     * The public key of a private key, as {@code wg pubkey} computes it: X25519(k, 9). The scalar
     * is clamped by X25519 itself, so unclamped private keys give the same result as in {@code wg}.
     *
     * @throws InvalidKeyException when the private key is not a valid WireGuard key
     */
    public static String publicKeyOf(String privateKeyBase64) {
        byte[] scalar = decode(privateKeyBase64);
        try {
            // XECPrivateKeySpec takes the scalar in its RFC 7748 (little-endian) byte encoding.
            KeyFactory factory = KeyFactory.getInstance("X25519");
            PrivateKey privateKey = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
            // XECPublicKeySpec takes u as a BigInteger (a number, not an encoding): 9 is 9.
            PublicKey basePoint = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BASE_POINT_U));
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(privateKey);
            agreement.doPhase(basePoint, true);
            // The shared secret X25519(k, 9) is the public key, already encoded little-endian.
            return encode(agreement.generateSecret());
        } catch (GeneralSecurityException e) {
            // Deliberately no cause: provider messages are not ours to vouch for.
            throw new IllegalStateException("X25519 is not available in this JDK or failed: " + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(scalar, (byte) 0);
        }
    }

    /**
     * The 32 bytes of a key. Surrounding whitespace is ignored (a key read from a file made by
     * {@code wg genkey > key} ends in a newline); otherwise the same strict form {@code wg}
     * accepts: 44 characters of standard base64 that decode to exactly 32 bytes.
     *
     * @throws InvalidKeyException naming the problem, never echoing the input
     */
    public static byte[] decode(String base64) {
        if (base64 == null) {
            throw new InvalidKeyException("key is missing");
        }
        String trimmed = base64.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidKeyException("key is empty");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            // No cause attached: the JDK's message quotes the offending character of the key.
            throw new InvalidKeyException("key is not valid base64");
        }
        if (bytes.length != KEY_LENGTH) {
            int length = bytes.length;
            Arrays.fill(bytes, (byte) 0);
            throw new InvalidKeyException(
                    "key decodes to " + length + " bytes, a WireGuard key must be exactly " + KEY_LENGTH + " bytes");
        }
        // wg rejects unpadded keys and keys whose unused trailing bits are not zero; so do we,
        // so that every key accepted here is also accepted by wg.
        if (trimmed.length() != BASE64_LENGTH || !encode(bytes).equals(trimmed)) {
            Arrays.fill(bytes, (byte) 0);
            throw new InvalidKeyException(
                    "key is not in canonical base64 form (44 characters ending in '=', as wg prints it)");
        }
        return bytes;
    }

    /** Whether {@link #decode(String)} accepts the key. */
    public static boolean isValid(String base64) {
        try {
            Arrays.fill(decode(base64), (byte) 0);
            return true;
        } catch (InvalidKeyException e) {
            return false;
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[KEY_LENGTH];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String encode(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }
}
