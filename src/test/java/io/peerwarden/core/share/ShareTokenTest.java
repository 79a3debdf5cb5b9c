package io.peerwarden.core.share;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShareTokenTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void aTokenIsTheNamespaceAndA256BitRandomPartInUrlSafeCharacters() {
        ShareToken token = ShareToken.mint("team-a", random);
        assertThat(token.text()).matches("team-a\\.[A-Za-z0-9_-]{43}");
        String randomPart = token.text().substring("team-a.".length());
        assertThat(Base64.getUrlDecoder().decode(randomPart)).hasSize(32);
        assertThat(token.namespace()).isEqualTo("team-a");
    }

    @Test
    void tenThousandTokensAreAllDifferentAndUseEveryCharacterOfTheAlphabet() {
        Set<String> seen = new HashSet<>();
        Set<Character> characters = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String text = ShareToken.mint("ns", random).text();
            assertThat(seen.add(text)).as("duplicate token").isTrue();
            text.substring(3).chars().forEach(c -> characters.add((char) c));
        }
        assertThat(characters).hasSize(64);
    }

    @Test
    void aTokenParsesBackToItselfWithTheSameHashAndRecordName() {
        ShareToken token = ShareToken.mint("default", random);
        ShareToken parsed = ShareToken.parse(token.text()).orElseThrow();
        assertThat(parsed).isEqualTo(token);
        assertThat(parsed.hash()).isEqualTo(token.hash()).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(parsed.recordName()).isEqualTo("pw-share-" + token.hash().substring(0, 32));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "ns", "ns.", ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "NS.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "ns.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "ns.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "ns.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",
            "ns.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB", "-ns.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "n/s.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "ns.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/wg0.conf",
            "ns.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%41", "../../etc/passwd"})
    void malformedTokensAreRefusedWithoutAnException(String text) {
        assertThat(ShareToken.parse(text)).isEmpty();
    }

    @Test
    void aTokenWithANamespaceOf64CharactersOrAVeryLongTextIsRefused() {
        assertThat(ShareToken.parse("a".repeat(64) + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).isEmpty();
        assertThat(ShareToken.parse("a".repeat(100_000))).isEmpty();
        assertThat(ShareToken.parse(null)).isEmpty();
        assertThat(ShareToken.parse("a".repeat(63) + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).isPresent();
    }

    @Test
    void printingATokenShowsNeitherItNorItsRandomPart() {
        ShareToken token = ShareToken.mint("team-a", random);
        String randomPart = token.text().substring("team-a.".length());
        assertThat(token.toString()).doesNotContain(randomPart).contains("team-a", token.logId());
        assertThat(token.logId()).hasSize(8).isEqualTo(token.hash().substring(0, 8));
        assertThat(token.hash()).doesNotContain(randomPart);
    }

    @Test
    void onlyTheSameTokenMatchesItsHash() {
        ShareToken token = ShareToken.mint("ns", random);
        ShareToken other = ShareToken.mint("ns", random);
        assertThat(token.hashEquals(token.hash())).isTrue();
        assertThat(token.hashEquals(other.hash())).isFalse();
        assertThat(token.hashEquals(null)).isFalse();
    }

    @Test
    void aNamespaceThatIsNoNamespaceNameCannotBeMintedFor() {
        assertThatThrownBy(() -> ShareToken.mint("Not.A.Namespace", random)).isInstanceOf(IllegalArgumentException.class);
    }
}
