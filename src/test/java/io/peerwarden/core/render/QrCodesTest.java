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
