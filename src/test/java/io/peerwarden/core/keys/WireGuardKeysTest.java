package io.peerwarden.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WireGuardKeysTest {

    private static String b64(String littleEndianHex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(littleEndianHex));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // RFC 7748 section 6.1: private scalar and X25519(k, 9), both as little-endian byte strings
            "Alice, 77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a, 8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
            "Bob,   5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb, de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
    })
    void publicKeyMatchesRfc7748TestVectors(String who, String privateHex, String publicHex) {
        assertThat(WireGuardKeys.publicKeyOf(b64(privateHex))).isEqualTo(b64(publicHex));
    }

    @Test
    void generatedPrivateKeysAreClampedLikeWgGenkey() {
        for (int i = 0; i < 200; i++) {
            byte[] key = WireGuardKeys.decode(WireGuardKeys.generatePrivateKey());
            assertThat(key[0] & 7).isZero();
            assertThat(key[31] & 0x80).isZero();
            assertThat(key[31] & 0x40).isEqualTo(0x40);
        }
    }

    @Test
    void generatedKeysAreCanonical44CharacterBase64AndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String priv = WireGuardKeys.generatePrivateKey();
            String psk = WireGuardKeys.generatePresharedKey();
            for (String key : List.of(priv, psk, WireGuardKeys.publicKeyOf(priv))) {
                assertThat(key).hasSize(44).endsWith("=");
                assertThat(WireGuardKeys.isValid(key)).isTrue();
                assertThat(seen.add(key)).isTrue();
            }
        }
    }

    @Test
    void publicKeyIsDeterministic() {
        String priv = WireGuardKeys.generatePrivateKey();
        assertThat(WireGuardKeys.publicKeyOf(priv)).isEqualTo(WireGuardKeys.publicKeyOf(priv));
    }

    @Test
    void surroundingWhitespaceFromAKeyFileIsIgnored() {
        String priv = WireGuardKeys.generatePrivateKey();
        assertThat(WireGuardKeys.publicKeyOf(priv + "\n")).isEqualTo(WireGuardKeys.publicKeyOf(priv));
        assertThat(WireGuardKeys.isValid("  " + priv + "\r\n")).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "'' | key is empty",
            "'   ' | key is empty",
            "not-base64!not-base64!not-base64!not-base64 | not valid base64",
            // 31 and 33 bytes
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA== | decodes to 31 bytes",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA | decodes to 33 bytes",
            "AAAA | decodes to 3 bytes",
            // 32 bytes, but unpadded, or with non-zero unused trailing bits: wg rejects both
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA | canonical base64",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB= | canonical base64",
    })
    void invalidKeysAreRejectedWithAMessageNamingTheProblem(String key, String expectedMessage) {
        assertThatThrownBy(() -> WireGuardKeys.decode(key))
                .isInstanceOf(InvalidKeyException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expectedMessage)
                .hasNoCause();
        assertThat(WireGuardKeys.isValid(key)).isFalse();
    }

    @Test
    void nullKeyIsRejected() {
        assertThatThrownBy(() -> WireGuardKeys.decode(null)).isInstanceOf(InvalidKeyException.class)
                .hasMessage("key is missing");
        assertThat(WireGuardKeys.isValid(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"31", "33", "base64", "padding"})
    void rejectionMessagesNeverEchoTheKeyMaterial(String variant) {
        String valid = WireGuardKeys.generatePrivateKey();
        String bad = switch (variant) {
            case "31" -> Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(WireGuardKeys.decode(valid), 31));
            case "33" -> Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(WireGuardKeys.decode(valid), 33));
            case "base64" -> valid.substring(0, 20) + "%" + valid.substring(21);
            default -> valid.substring(0, 43);
        };
        assertThatThrownBy(() -> WireGuardKeys.publicKeyOf(bad))
                .isInstanceOf(InvalidKeyException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain(bad.substring(0, 8)).doesNotContain("%");
                    assertThat(e.toString()).doesNotContain(bad.substring(0, 8));
                });
    }

    @Test
    void aPrivateKeyAndItsClampedFormAreTheSameKey() {
        String generated = WireGuardKeys.generatePrivateKey();
        byte[] unclamped = Base64.getDecoder().decode(generated);
        unclamped[0] |= 7; // the low bits clamping clears
        String unclampedText = Base64.getEncoder().encodeToString(unclamped);
        assertThat(WireGuardKeys.samePrivateKey(generated, unclampedText)).isTrue();
        assertThat(WireGuardKeys.samePrivateKey(generated, WireGuardKeys.generatePrivateKey())).isFalse();
        assertThat(WireGuardKeys.samePrivateKey("not a key", "not a key")).isTrue();
        assertThat(WireGuardKeys.samePrivateKey(generated, null)).isFalse();
    }
}
