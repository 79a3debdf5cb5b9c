package io.peerwarden.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.testing.QrImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class QrCodesTest {

    /** A realistic dual-stack config with PSK, DNS with a search domain, MTU and keepalive. */
    static String realisticConfig() {
        return WgQuickConfigRenderer.render(new ClientConfig(WireGuardKeys.generatePrivateKey(),
                List.of("10.124.200.203/32", "fd00:1234:5678:9abc::cb/128"),
                List.of("10.124.0.1", "fd00:1234:5678:9abc::1", "corp.example.internal"), 1420,
                WireGuardKeys.publicKeyOf(WireGuardKeys.generatePrivateKey()), WireGuardKeys.generatePresharedKey(),
                "vpn-gateway.eu-central.example.com:51820",
                List.of("10.124.0.0/16", "192.168.100.0/24", "fd00:1234:5678:9abc::/64"), 25));
    }

    private static String decode(BufferedImage image) {
        return QrImages.decode(image);
    }

    @Test
    void pngDecodesBackToTheExactConfigText() throws Exception {
        String config = realisticConfig();
        byte[] png = QrCodes.png(config);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(decode(image)).isEqualTo(config);
        // version <= 20 (97 modules) at error correction M, 2 modules of margin, 8 px a module
        assertThat(image.getWidth()).isEqualTo(image.getHeight()).isLessThanOrEqualTo((97 + 4) * 8);
    }

    @Test
    void pngIsDeterministic() {
        String config = realisticConfig();
        assertThat(QrCodes.png(config)).isEqualTo(QrCodes.png(config));
    }

    @Test
    void terminalDrawingDecodesBackToTheExactConfigText() throws Exception {
        String config = realisticConfig();
        String drawing = QrCodes.terminal(config);
        assertThat(drawing).matches("[▀▄█ \n]+").endsWith("\n").doesNotContain(" \n");
        assertThat(decode(imageOfTerminalDrawing(drawing))).isEqualTo(config);
    }

    @Test
    void nonAsciiTextSurvivesTheRoundTrip() throws Exception {
        String text = "# Büro Zürich – VPN\n";
        assertThat(decode(ImageIO.read(new ByteArrayInputStream(QrCodes.png(text))))).isEqualTo(text);
    }

    @Test
    void textTooLongForAQrCodeIsRejectedWithoutEchoingIt() {
        String secret = WireGuardKeys.generatePrivateKey();
        String huge = (secret + "\n").repeat(200);
        assertThatThrownBy(() -> QrCodes.png(huge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit")
                .hasMessageNotContaining(secret.substring(0, 10));
    }

    @Test
    void pngIsAOneBitGrayscaleImageOfEightPixelsAModuleWithItsQuietZone() throws Exception {
        String config = realisticConfig();
        byte[] png = QrCodes.png(config);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        com.google.zxing.common.BitMatrix matrix = QrCodes.encode(config);
        int modules = matrix.getWidth();
        assertThat(image.getWidth()).isEqualTo(image.getHeight()).isEqualTo(modules * QrCodes.PNG_MODULE_PIXELS);
        assertThat(image.getColorModel().getPixelSize()).isEqualTo(1);
        // the quiet zone is white, the first module of the finder pattern black, each module 8 x 8 pixels
        int quiet = QrCodes.MARGIN * QrCodes.PNG_MODULE_PIXELS;
        assertThat(image.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(image.getRGB(quiet - 1, quiet - 1) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(image.getRGB(quiet, quiet) & 0xFFFFFF).isEqualTo(0);
        assertThat(image.getRGB(quiet + 7, quiet + 7) & 0xFFFFFF).isEqualTo(0);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                boolean dark = (image.getRGB(x, y) & 0xFFFFFF) == 0;
                if (dark != matrix.get(x / 8, y / 8)) {
                    throw new AssertionError("pixel " + x + "," + y + " is not its module's colour");
                }
            }
        }
        assertThat(decode(image)).isEqualTo(config);
        // a PNG of 1 bit a pixel, not an image 8 times the size of its modules
        assertThat(png.length).isLessThan(8 * 1024);
    }

    @Test
    void asciiTextFitsUpTo2331BytesExactlyWhereTheEncoderStops() throws Exception {
        String fits = text('a', 2331);
        String tooLong = text('a', 2332);
        assertThat(QrCodes.fits(fits)).isTrue();
        QrCodes.requireFits(fits);
        assertThat(QrImages.decode(QrCodes.png(fits))).isEqualTo(fits);
        assertThat(QrCodes.fits(tooLong)).isFalse();
        assertThatThrownBy(() -> QrCodes.requireFits(tooLong)).isInstanceOf(QrCodes.TooLargeException.class)
                .hasMessage("text of 2332 bytes does not fit in a QR code");
        assertThatThrownBy(() -> QrCodes.png(tooLong)).isInstanceOf(QrCodes.TooLargeException.class);
    }

    @Test
    void nonAsciiTextFitsUpTo2330BytesOfUtf8BehindItsEciHeader() throws Exception {
        // "ü" is 2 bytes in UTF-8; the ECI header costs 12 bits, so one byte less than ASCII text
        String fits = "ü" + text('b', 2328);
        String tooLong = "ü" + text('b', 2329);
        assertThat(QrCodes.fits(text('b', 2330))).as("the same bytes as ASCII text fit").isTrue();
        assertThat(fits.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(2330);
        assertThat(QrCodes.fits(fits)).isTrue();
        assertThat(QrImages.decode(QrCodes.png(fits))).isEqualTo(fits);
        assertThat(QrCodes.fits(tooLong)).isFalse();
        assertThatThrownBy(() -> QrCodes.png(tooLong)).isInstanceOf(QrCodes.TooLargeException.class);
        assertThatThrownBy(() -> QrCodes.requireFits(tooLong)).isInstanceOf(QrCodes.TooLargeException.class)
                .hasMessage("text of 2331 bytes does not fit in a QR code");
    }

    @Test
    void digitsAndUpperCaseTextUseTheDenserModesLikeTheEncoder() {
        // numeric mode holds 5596 digits at M, alphanumeric 3391 characters: the check follows the encoder's mode choice
        assertAgree(text('7', 5596), true);
        assertAgree(text('7', 5597), false);
        assertAgree(text('Z', 3391), true);
        assertAgree(text('Z', 3392), false);
    }

    @Test
    void theCheckAgreesWithTheEncoderOnRandomTextsAroundTheLimit() {
        java.util.Random random = new java.util.Random(11);
        String[] alphabets = {"abcdefghijklmnopqrstuvwxyz0123456789+/=\n[] ", "0123456789", "ABCXYZ0189 $%*+-./:",
                "a\u00e4\u00f6\u00fc\u00df\u20ac \u4e2d", "abc\u00e9"};
        for (int i = 0; i < 40; i++) {
            String alphabet = alphabets[i % alphabets.length];
            int length = switch (i % alphabets.length) {
                case 1 -> 5580 + random.nextInt(30);
                case 2 -> 3380 + random.nextInt(20);
                // about 2 bytes of UTF-8 a character, and 1.25
                case 3 -> 1130 + random.nextInt(70);
                case 4 -> 1830 + random.nextInt(60);
                default -> 2300 + random.nextInt(60);
            };
            StringBuilder text = new StringBuilder();
            for (int k = 0; k < length; k++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            boolean encodes;
            try {
                QrCodes.encode(text.toString());
                encodes = true;
            } catch (QrCodes.TooLargeException e) {
                encodes = false;
            }
            assertThat(QrCodes.fits(text.toString())).as("text %d of %d characters", i, length).isEqualTo(encodes);
        }
    }

    @Test
    void emptyTextIsRefusedByTheCheckAsByTheEncoder() {
        assertThatThrownBy(() -> QrCodes.fits("")).isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(QrCodes.TooLargeException.class);
        assertThatThrownBy(() -> QrCodes.png("")).isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(QrCodes.TooLargeException.class);
    }

    private static void assertAgree(String text, boolean fits) {
        assertThat(QrCodes.fits(text)).as("%d characters", text.length()).isEqualTo(fits);
        if (fits) {
            assertThat(QrCodes.png(text)).startsWith(0x89, 'P', 'N', 'G');
        } else {
            assertThatThrownBy(() -> QrCodes.png(text)).isInstanceOf(QrCodes.TooLargeException.class);
        }
    }

    private static String text(char c, int length) {
        return String.valueOf(c).repeat(length);
    }

    /**
     * Turns the half-block drawing back into pixels the way a terminal shows it on a dark
     * background: drawn halves are light, spaces are dark. 4 px per module.
     */
    private static BufferedImage imageOfTerminalDrawing(String drawing) throws IOException {
        List<String> lines = drawing.lines().toList();
        int width = lines.get(0).length();
        int scale = 4;
        BufferedImage image = new BufferedImage(width * scale, lines.size() * 2 * scale, BufferedImage.TYPE_INT_RGB);
        for (int row = 0; row < lines.size(); row++) {
            String line = lines.get(row);
            assertThat(line).hasSize(width);
            for (int x = 0; x < width; x++) {
                char c = line.charAt(x);
                boolean topLight = c == '█' || c == '▀';
                boolean bottomLight = c == '█' || c == '▄';
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        image.setRGB(x * scale + dx, (2 * row) * scale + dy, topLight ? 0xFFFFFF : 0);
                        image.setRGB(x * scale + dx, (2 * row + 1) * scale + dy, bottomLight ? 0xFFFFFF : 0);
                    }
                }
            }
        }
        return image;
    }
}
