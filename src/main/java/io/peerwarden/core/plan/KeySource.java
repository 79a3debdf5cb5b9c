package io.peerwarden.core.plan;

import io.peerwarden.core.keys.WireGuardKeys;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Key material for the planner: random in production, fixed in tests that need stable output. */
public interface KeySource {

    String generatePrivateKey();

    String generatePresharedKey();

    default String publicKeyOf(String privateKey) {
        return WireGuardKeys.publicKeyOf(privateKey);
    }

    /**
     * Random keys; public keys are remembered per private key (bounded), since every plan of an
     * instance re-derives the public key of each of its peers and X25519 is the costly part of a
     * steady-state plan. The private keys are already in this process's Secret cache.
     */
    static KeySource random() {
        return new KeySource() {
            private static final int REMEMBERED = 100_000;
            private final Map<String, String> publicKeys = Collections.synchronizedMap(
                    new LinkedHashMap<>(1024, 0.75f, true) {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                            return size() > REMEMBERED;
                        }
                    });

            @Override
            public String generatePrivateKey() {
                return WireGuardKeys.generatePrivateKey();
            }

            @Override
            public String generatePresharedKey() {
                return WireGuardKeys.generatePresharedKey();
            }

            @Override
            public String publicKeyOf(String privateKey) {
                return publicKeys.computeIfAbsent(privateKey, WireGuardKeys::publicKeyOf);
            }
        };
    }
}
