package io.peerwarden.core.plan;

import io.peerwarden.core.keys.WireGuardKeys;

/** Key material for the planner: random in production, fixed in tests that need stable output. */
public interface KeySource {

    String generatePrivateKey();

    String generatePresharedKey();

    default String publicKeyOf(String privateKey) {
        return WireGuardKeys.publicKeyOf(privateKey);
    }

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
        };
    }
}
