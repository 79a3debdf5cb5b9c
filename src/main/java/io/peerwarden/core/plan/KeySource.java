package io.peerwarden.core.plan;

import io.peerwarden.core.keys.WireGuardKeys;

/** Key material for the planner: random in production, fixed in tests that need stable output. */
public interface KeySource {

    String generatePrivateKey();

    String generatePresharedKey();

    default String publicKeyOf(String privateKey) {
        return WireGuardKeys.publicKeyOf(privateKey);
    }

    /** Random keys. The planner remembers public keys it derived itself (KeyResolution), so this derives every time. */
    static KeySource random() {
        return new KeySource() {
            @Override
            public String generatePrivateKey() {
                return WireGuardKeys.generatePrivateKey();
            }

            @Override
            public String generatePresharedKey() {
                return WireGuardKeys.generatePresharedKey();
            }

            @Override
            public String toString() {
                return "KeySource.random()";
            }
        };
    }
}
