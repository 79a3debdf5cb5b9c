package io.peerwarden.share;

import io.peerwarden.core.share.FailedLookupLimiter;
import io.peerwarden.testing.QrImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The share page as a person sees it, in headless Chromium: the QR code on the screenshot decodes to the peer's
 * exact config, and a second visit of the link shows the not-valid page. Minted by the {@code share} command on a
 * real API server. The screenshot is kept as {@code target/share-page.png} (docs/share-page.png is one of them).
 */
class SharePageChromiumRealApiIT {

    private ShareFixture fixture;

    @BeforeEach
    void setUp() {
        Chromium.require();
        fixture = new ShareFixture("sharepage", FailedLookupLimiter.defaults(Clock.systemUTC()));
    }

    @AfterEach
    void tearDown() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void theQrCodeOnTheScreenDecodesToThePeersExactConfigAndASecondVisitShowsTheNotValidPage() throws Exception {
        String config = fixture.peer("alice");
        String url = fixture.mint("alice", "--ttl", "1h");
        Path screenshot = Path.of("target", "share-page.png");
        Files.createDirectories(screenshot.getParent());
        Files.deleteIfExists(screenshot);

        Chromium.screenshot(url, screenshot, 760, 1000);

        assertThat(QrImages.decode(qrCodeOf(ImageIO.read(screenshot.toFile())))).isEqualTo(config);
        String second = Chromium.dumpDom(url);
        assertThat(second).contains("This link is not valid").doesNotContain("PrivateKey", "data:image/png");
    }

    /**
     * The QR code cut out of a screenshot with a white quiet zone around it: the bounding box of its pure black
     * pixels (the page draws nothing else in pure black: its text is #1f2933).
     */
    static BufferedImage qrCodeOf(BufferedImage screenshot) {
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < screenshot.getHeight(); y++) {
            for (int x = 0; x < screenshot.getWidth(); x++) {
                if ((screenshot.getRGB(x, y) & 0xFFFFFF) == 0) {
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        assertThat(maxX).as("the screenshot shows a QR code (black pixels)").isNotNegative();
        int quiet = 32;
        BufferedImage code = new BufferedImage(maxX - minX + 1 + 2 * quiet, maxY - minY + 1 + 2 * quiet, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = code.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, code.getWidth(), code.getHeight());
        g.drawImage(screenshot.getSubimage(minX, minY, maxX - minX + 1, maxY - minY + 1), quiet, quiet, null);
        g.dispose();
        return code;
    }
}
