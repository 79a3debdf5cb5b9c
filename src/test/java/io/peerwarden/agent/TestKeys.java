package io.peerwarden.agent;

import io.peerwarden.core.keys.WireGuardKeys;

/** WireGuard key pairs from the product's own key code, so tests and product cannot disagree on the bytes. */
record TestKeys(String privateKey, String publicKey) {

    static TestKeys generate() {
        String privateKey = WireGuardKeys.generatePrivateKey();
        return new TestKeys(privateKey, WireGuardKeys.publicKeyOf(privateKey));
    }

    static String presharedKey() {
        return WireGuardKeys.generatePresharedKey();
    }
}
