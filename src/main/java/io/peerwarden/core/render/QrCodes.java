package io.peerwarden.core.render;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * QR codes of client configs, for the WireGuard mobile apps ("scan from QR code"). The QR version
 * grows with the text: a dual-stack config with a preshared key (about 400 bytes) needs version
 * 13 at error correction M. Exception messages never contain the text: it holds a private key.
 */
public final class QrCodes {

    /** Quiet zone in modules around the code. */
    public static final int MARGIN = 2;
    /** Pixels per module in {@link #png}: a typical config gives an image of about 600 x 600. */
    public static final int PNG_MODULE_PIXELS = 8;


    private QrCodes() {
    }

    /** PNG image (black on white) of a QR code of the text, error correction M. */
    public static byte[] png(String text) {
        BitMatrix matrix = encode(text);
        int size = matrix.getWidth() * PNG_MODULE_PIXELS;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY);
        // whole rows into the raster (sample 0 = black, 1 = white in the default binary palette):
        // pixel-by-pixel setRGB made the QR code 95% of the cost of a first rendering
        WritableRaster raster = image.getRaster();
        int[] row = new int[size];
        for (int moduleY = 0; moduleY < matrix.getHeight(); moduleY++) {
            for (int x = 0; x < size; x++) {
                row[x] = matrix.get(x / PNG_MODULE_PIXELS, moduleY) ? 0 : 1;
            }
            for (int k = 0; k < PNG_MODULE_PIXELS; k++) {
                raster.setPixels(0, moduleY * PNG_MODULE_PIXELS + k, size, 1, row);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing PNG to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * The QR code drawn with Unicode half blocks, two modules per character cell vertically, for
     * printing in a terminal. Like {@code qrencode -t UTF8}, light modules (and the quiet zone) are
     * drawn and dark modules are spaces, so it scans on the usual light-on-dark terminal. Lines end
     * with "\n" and carry no trailing spaces (the quiet zone is light).
     */
    public static String terminal(String text) {
        BitMatrix matrix = encode(text);
        int width = matrix.getWidth();
        int height = matrix.getHeight();
        StringBuilder out = new StringBuilder((width + 1) * (height + 1) / 2);
        for (int y = 0; y < height; y += 2) {
            for (int x = 0; x < width; x++) {
                boolean top = !matrix.get(x, y);
                // QR codes have an odd number of rows: the half row past the end belongs to the
                // quiet zone (light), not to the terminal's dark background
                boolean bottom = y + 1 >= height || !matrix.get(x, y + 1);
                out.append(top ? (bottom ? '█' : '▀') : (bottom ? '▄' : ' '));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static BitMatrix encode(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("QR code text must not be empty");
        }
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
        hints.put(EncodeHintType.MARGIN, MARGIN);
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(text)) {
            // Configs are ASCII and encoded as plain byte mode like qrencode does; anything else
            // gets UTF-8 with an ECI header so scanners know how to read it.
            hints.put(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        }
        try {
            // width/height 0: one pixel per module, the smallest matrix that holds the text
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
        } catch (WriterException e) {
            // zxing's message does not include the text; still, name only the size
            throw new TooLargeException(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    /** The text is longer than the largest QR code (version 40, error correction M) holds. */
    public static final class TooLargeException extends IllegalArgumentException {

        private final int bytes;

        TooLargeException(int bytes) {
            super("text of " + bytes + " bytes does not fit in a QR code");
            this.bytes = bytes;
        }

        /** The size of the text that did not fit. */
        public int bytes() {
            return bytes;
        }
    }
}
