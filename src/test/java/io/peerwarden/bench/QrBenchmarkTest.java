package io.peerwarden.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.render.ClientConfig;
import io.peerwarden.core.render.QrCodes;
import io.peerwarden.core.render.WgQuickConfigRenderer;
import io.peerwarden.testing.QrImages;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The cost of a config's QR code, before and after issue 11, in one run: the PNG as it was drawn before
 * (zxing's matrix into a BufferedImage, written by ImageIO; kept here verbatim as the baseline), the PNG as
 * {@link QrCodes#png} writes it now (the PNG chunks written directly), zxing's matrix encode alone (the part both
 * share), and the check the planner runs instead of drawing ({@link QrCodes#fits}). One warm-up, then interleaved rounds, the fastest of each, wall
 * clock on a shared machine: orders of magnitude, not percentages. The planner's own figure (1,000 new peers, no QR
 * code drawn any more) is in {@link PlannerBenchmarkTest}.
 */
@Tag("benchmark")
class QrBenchmarkTest {

    private static final int WARM_UP = 200;
    private static final int SAMPLES = 100;
    private static final int ROUNDS = 5;

    @Test
    void pngOfATypicalConfig() throws Exception {
        String config = typicalConfig();
        // both draw the same code: the new PNG decodes to the config like the old one
        assertThat(QrImages.decode(QrCodes.png(config))).isEqualTo(config);
        assertThat(QrImages.decode(legacyPng(config))).isEqualTo(config);

        // interleaved rounds, the fastest round of each: the machine is shared, and load comes and goes
        List<Function<String, byte[]>> variants = List.of(QrBenchmarkTest::legacyPng, QrCodes::png, QrBenchmarkTest::matrix,
                text -> QrCodes.fits(text) ? new byte[0] : null);
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        for (Function<String, byte[]> variant : variants) {
            msPerCall(variant, config, WARM_UP);
        }
        for (int round = 0; round < ROUNDS; round++) {
            for (int v = 0; v < variants.size(); v++) {
                best[v] = Math.min(best[v], msPerCall(variants.get(v), config, SAMPLES));
            }
        }
        double legacy = best[0];
        double now = best[1];
        double encodeOnly = best[2];
        double check = best[3];
        System.out.printf(Locale.ROOT, "QrBenchmark config of %d bytes: PNG before %.3f ms (%d bytes), now %.3f ms (%d bytes);"
                        + " zxing matrix alone %.3f ms; fits check %.4f ms%n", config.length(), legacy, legacyPng(config).length,
                now, QrCodes.png(config).length, encodeOnly, check);

        BenchResults.record("render.png.ms", "QR code PNG of a typical config (" + config.length() + " bytes)", now, "ms",
                legacy, "the PNG drawn as before (BufferedImage + ImageIO), same run", null);
        BenchResults.record("render.png.bytes", "size of that PNG (the wg0.png each config Secret stores)", QrCodes.png(config).length,
                "bytes", (double) legacyPng(config).length, "the PNG written by ImageIO as before, same run", null);
        BenchResults.record("render.qr.encode.ms", "zxing QR matrix encode alone, the part of the PNG both share", encodeOnly, "ms",
                null, null, null);
        BenchResults.record("render.qr.fits.ms", "the planner's check that a config fits a QR code (no drawing)", check, "ms",
                now, "drawing the PNG, same run", null);
    }

    private static double msPerCall(Function<String, byte[]> work, String text, int calls) {
        long sink = 0;
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            sink += work.apply(text).length;
        }
        double ms = (System.nanoTime() - start) / 1e6 / calls;
        assertThat(sink).isGreaterThanOrEqualTo(0);
        return ms;
    }

    /** A dual-stack config with a preshared key, DNS and keepalive: what most peers get. */
    static String typicalConfig() {
        return WgQuickConfigRenderer.render(new ClientConfig(WireGuardKeys.generatePrivateKey(),
                List.of("10.24.3.17/32", "fd00:24::3:11/128"), List.of("10.24.0.1"), 1420,
                WireGuardKeys.publicKeyOf(WireGuardKeys.generatePrivateKey()), WireGuardKeys.generatePresharedKey(),
                "vpn.example.com:51820", List.of("10.24.0.0/16", "fd00:24::/64"), 25));
    }

    private static byte[] matrix(String text) {
        BitMatrix m = encode(text);
        return new byte[m.getWidth()];
    }

    private static BitMatrix encode(String text) {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
        hints.put(EncodeHintType.MARGIN, QrCodes.MARGIN);
        try {
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
        } catch (WriterException e) {
            throw new IllegalArgumentException("does not fit", e);
        }
    }

    /** QrCodes.png as it was before issue 11 (ASCII texts only), the baseline. */
    private static byte[] legacyPng(String text) {
        BitMatrix matrix = encode(text);
        int size = matrix.getWidth() * QrCodes.PNG_MODULE_PIXELS;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY);
        WritableRaster raster = image.getRaster();
        int[] row = new int[size];
        for (int moduleY = 0; moduleY < matrix.getHeight(); moduleY++) {
            for (int x = 0; x < size; x++) {
                row[x] = matrix.get(x / QrCodes.PNG_MODULE_PIXELS, moduleY) ? 0 : 1;
            }
            for (int k = 0; k < QrCodes.PNG_MODULE_PIXELS; k++) {
                raster.setPixels(0, moduleY * QrCodes.PNG_MODULE_PIXELS + k, size, 1, row);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
