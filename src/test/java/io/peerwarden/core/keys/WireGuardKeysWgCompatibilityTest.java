package io.peerwarden.core.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Byte-compatibility with the real {@code wg} binary. Keys go to {@code wg} on stdin, never on a
 * command line (where any user could read them from /proc).
 */
class WireGuardKeysWgCompatibilityTest {

    private static final int N = 50;

    @BeforeEach
    void requireWg() {
        ExternalTools.requireExecutable(ExternalTools.WG);
    }

    private static String wgPubkey(String privateKey) {
        return ExternalTools.run(List.of(ExternalTools.WG.toString(), "pubkey"), privateKey + "\n").ok().stdout().strip();
    }

    @Test
    void publicKeyOfEqualsWgPubkeyForRandomPrivateKeys() {
        for (int i = 0; i < N; i++) {
            String priv = WireGuardKeys.generatePrivateKey();
            assertThat(WireGuardKeys.publicKeyOf(priv)).isEqualTo(wgPubkey(priv));
        }
    }

    @Test
    void publicKeyOfEqualsWgPubkeyForUnclampedRandomBytes() {
        // Keys from other tools need not be clamped; X25519 clamps, and so does wg.
        for (int i = 0; i < N; i++) {
            String raw = WireGuardKeys.generatePresharedKey();
            assertThat(WireGuardKeys.publicKeyOf(raw)).isEqualTo(wgPubkey(raw));
        }
    }

    @Test
    void keysFromWgGenkeyAreAcceptedAndGiveTheSamePublicKey() {
        for (int i = 0; i < 10; i++) {
            String priv = ExternalTools.run(List.of(ExternalTools.WG.toString(), "genkey"), null).ok().stdout();
            assertThat(WireGuardKeys.isValid(priv)).isTrue();
            assertThat(WireGuardKeys.publicKeyOf(priv)).isEqualTo(wgPubkey(priv.strip()));
            String psk = ExternalTools.run(List.of(ExternalTools.WG.toString(), "genpsk"), null).ok().stdout();
            assertThat(WireGuardKeys.isValid(psk)).isTrue();
        }
    }

    @Test
    void invalidKeysAreRejectedByWgToo() {
        for (String bad : List.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=")) {
            assertThat(WireGuardKeys.isValid(bad)).isFalse();
            assertThat(ExternalTools.run(List.of(ExternalTools.WG.toString(), "pubkey"), bad + "\n").exitCode())
                    .as("wg pubkey exit code").isNotZero();
        }
    }
}
