package io.peerwarden.agent;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.Base64;

/** WireGuard key pairs from the JDK's X25519 (the same bytes {@code wg genkey | wg pubkey} gives). */
record TestKeys(String privateKey, String publicKey) {

    private static final SecureRandom RANDOM = new SecureRandom();

    static TestKeys generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            byte[] scalar = ((XECPrivateKey) pair.getPrivate()).getScalar().orElseThrow();
            scalar[0] &= (byte) 248;
            scalar[31] = (byte) ((scalar[31] & 127) | 64);
            BigInteger u = ((XECPublicKey) pair.getPublic()).getU();
            byte[] big = u.toByteArray();
            byte[] little = new byte[32];
            for (int i = 0; i < 32 && i < big.length; i++) {
                little[i] = big[big.length - 1 - i];
            }
            return new TestKeys(Base64.getEncoder().encodeToString(scalar), Base64.getEncoder().encodeToString(little));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String presharedKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
