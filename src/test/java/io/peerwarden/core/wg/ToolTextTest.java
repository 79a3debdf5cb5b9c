package io.peerwarden.core.wg;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** Tool stderr reaches status, Events and logs only through {@link ToolText#sanitize}: no key, no escape, bounded. */
class ToolTextTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static String base64(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    @Test
    void aKeyQuotedByWgIsRedacted() {
        String key = base64(32);
        String token = key.substring(0, 43);
        assertThat(ToolText.sanitize("Key is not the correct length or format: `" + token + "\n'\n"))
                .isEqualTo("Key is not the correct length or format: `[redacted] '");
        assertThat(ToolText.sanitize("bad key " + key)).isEqualTo("bad key [redacted]");
    }

    @Test
    void everyRandomKeyAndTokenIsRedactedWhateverItsLetters() {
        for (int i = 0; i < 20_000; i++) {
            String key = base64(32);
            assertThat(ToolText.sanitize("x " + key + " y")).isEqualTo("x [redacted] y");
            String url = Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes());
            assertThat(ToolText.sanitize(url)).isEqualTo("[redacted]");
        }
    }

    @Test
    void ordinaryErrorsAreKeptAsTheyAre() {
        for (String text : new String[] {
                "Unable to modify interface: No such device",
                "Name or service not known: `nonexistent.invalid:51820'",
                "RTNETLINK answers: File exists",
                "cannot write a key file in /dev/shm/peerwarden-keys-1234567890123",
                "wireguard-go pwa123456 exited with code 1",
                "Error: argument \"peerwarden:default/vpn\" is wrong: Invalid alias",
                "the interface of VpnInstance my-very-long-namespace-name/my-instance-name-here-and-more",
                "java.lang.IllegalStateException: x", "java.io.UncheckedIOException: y", "reason InterfaceNameNotAllowed"}) {
            assertThat(ToolText.sanitize(text)).isEqualTo(text);
        }
    }

    @Test
    void longHexTokensAreRedactedToo() {
        String hex = java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(base64(32)));
        assertThat(ToolText.sanitize("token " + hex)).isEqualTo("token [redacted]");
    }

    @Test
    void escapesAndControlCharactersAreRemovedAndLinesJoined() {
        assertThat(ToolText.sanitize("\u001B[31mred\u001B[0m line\r\nnext\u0007 \u202Eevil\u0000"))
                .isEqualTo("red line next evil");
        assertThat(ToolText.sanitize("\u001B]0;title\u0007after")).isEqualTo("after");
        assertThat(ToolText.sanitize(null)).isEmpty();
        assertThat(ToolText.sanitize(" \n ")).isEmpty();
    }

    @Test
    void theLengthIsBoundedAndSanitizingTwiceChangesNothing() {
        String longText = "error ".repeat(500);
        String once = ToolText.sanitize(longText);
        assertThat(once).hasSize(ToolText.MAX_LENGTH).endsWith("\u2026");
        assertThat(ToolText.sanitize(once)).isEqualTo(once);
        String mixed = "a " + base64(32) + " \u001B[1mb\n";
        assertThat(ToolText.sanitize(ToolText.sanitize(mixed))).isEqualTo(ToolText.sanitize(mixed));
    }
}
