package io.peerwarden.core.share;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class SharePageTest {

    private static final String CONFIG = "[Interface]\nPrivateKey = demo\nAddress = 10.24.0.2/32\n";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

    @Test
    void thePageCarriesTheQrCodeAndTheConfigAsDataUrisSoTheDownloadNeedsNoSecondVisit() {
        String body = SharePage.config("alice", CONFIG, PNG).body();
        assertThat(dataUri(body, "data:image/png;base64,")).isEqualTo(PNG);
        assertThat(new String(dataUri(body, "data:text/plain;charset=utf-8;base64,"), StandardCharsets.UTF_8)).isEqualTo(CONFIG);
        assertThat(body).contains("download=\"wg0.conf\"");
    }

    @Test
    void thePagesLoadNothingFromElsewhere() {
        for (String body : new String[]{SharePage.config("alice", CONFIG, PNG).body(), SharePage.notFound().body(),
                SharePage.tooManyRequests().body(), SharePage.unavailable().body()}) {
            assertThat(body).doesNotContainPattern("(?i)(src|href)=\"(?!data:)").doesNotContain("http://", "https://", "<script");
        }
    }

    @Test
    void theContentSecurityPolicyAllowsOnlyTheInlineStyleByItsHashAndDataImages() throws Exception {
        String csp = SharePage.headers().get("Content-Security-Policy");
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(
                style(SharePage.notFound().body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(csp).startsWith("default-src 'none';").contains("img-src data:", "style-src 'sha256-" + hash + "'",
                "frame-ancestors 'none'", "form-action 'none'", "base-uri 'none'").doesNotContain("unsafe");
        assertThat(style(SharePage.config("a", CONFIG, PNG).body())).isEqualTo(style(SharePage.notFound().body()));
    }

    @Test
    void nothingIsCachedAndNoReferrerIsSent() {
        assertThat(SharePage.headers()).containsEntry("Cache-Control", "no-store").containsEntry("Referrer-Policy", "no-referrer")
                .containsEntry("X-Content-Type-Options", "nosniff").containsEntry("X-Frame-Options", "DENY");
        assertThat(SharePage.notFound().body()).contains("<meta name=\"referrer\" content=\"no-referrer\">");
    }

    @Test
    void thePeerNameIsEscaped() {
        String body = SharePage.config("<img src=x onerror=alert(1)>\"", CONFIG, PNG).body();
        assertThat(body).doesNotContain("<img src=x").contains("&lt;img src=x onerror=alert(1)&gt;&quot;");
    }

    @Test
    void everyFailureIsOneAndTheSame404Page() {
        assertThat(SharePage.notFound().status()).isEqualTo(404);
        assertThat(SharePage.notFound().body()).isEqualTo(SharePage.notFound().body()).contains("This link is not valid")
                .doesNotContain("alice", "expired at", "spent at");
    }

    private static String style(String body) {
        Matcher m = Pattern.compile("<style>(.*?)</style>").matcher(body);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static byte[] dataUri(String body, String prefix) {
        int start = body.indexOf(prefix);
        assertThat(start).as(prefix).isNotNegative();
        int end = body.indexOf('"', start);
        return Base64.getDecoder().decode(body.substring(start + prefix.length(), end));
    }
}
