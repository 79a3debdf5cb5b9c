package io.peerwarden.core.render;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.decoder.Mode;
import com.google.zxing.qrcode.decoder.Version;
import com.google.zxing.qrcode.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

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

    private static final ErrorCorrectionLevel LEVEL = ErrorCorrectionLevel.M;
    private static final Version LARGEST = Version.getVersionForNumber(40);
    /** Data bits of the largest QR code at {@link #LEVEL}: 2334 codewords. */
    private static final int CAPACITY_BITS = (LARGEST.getTotalCodewords() - LARGEST.getECBlocksForLevel(LEVEL).getTotalECCodewords()) * 8;
    private static final int MODE_BITS = 4;
    /** The ECI header of UTF-8 text: mode indicator and the 8-bit designator 26. */
    private static final int UTF8_ECI_BITS = MODE_BITS + 8;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private QrCodes() {
    }

    /**
     * Throws {@link TooLargeException} when the text does not fit in a QR code, without drawing it: the same
     * decision {@link #png} and {@link #terminal} take (zxing's mode choice, error correction M, version 40 at
     * most; ASCII in byte mode, anything else UTF-8 behind an ECI header). Cheap: it counts bits.
     */
    public static void requireFits(String text) {
        requireText(text);
        if (!fits(text)) {
            throw new TooLargeException(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    /** Whether the text fits in a QR code as {@link #png} draws it (error correction M, version 40 at most). */
    public static boolean fits(String text) {
        requireText(text);
        // zxing picks the mode from the characters (numeric, alphanumeric, else bytes), sizes the code at a provisional
        // version, then at the chosen one: it fits at all exactly when it fits in version 40, whose length field is
        // the longest
        Mode mode = Encoder.chooseMode(text);
        long bits = MODE_BITS + mode.getCharacterCountBits(LARGEST);
        switch (mode) {
            case NUMERIC -> {
                int n = text.length();
                bits += 10L * (n / 3) + (n % 3 == 2 ? 7 : n % 3 == 1 ? 4 : 0);
            }
            case ALPHANUMERIC -> {
                int n = text.length();
                bits += 11L * (n / 2) + 6L * (n % 2);
            }
            default -> {
                if (ascii(text)) {
                    bits += 8L * text.length();
                } else {
                    bits += UTF8_ECI_BITS + 8L * text.getBytes(StandardCharsets.UTF_8).length;
                }
            }
        }
        return bits <= CAPACITY_BITS;
    }

    /**
     * PNG image (black on white, 1-bit grayscale) of a QR code of the text, error correction M, {@link #PNG_MODULE_PIXELS}
     * pixels a module and a quiet zone of {@link #MARGIN} modules. Written directly (IHDR, one IDAT, IEND): with
     * 8 pixels a module every module is exactly one byte of a row, so a row is copied, not drawn pixel by pixel.
     */
    public static byte[] png(String text) {
        BitMatrix matrix = encode(text);
        int modules = matrix.getWidth();
        int size = modules * PNG_MODULE_PIXELS;
        // one byte holds 8 one-bit pixels: exactly one module (0 = black, 1 = white)
        int rowBytes = 1 + modules;
        byte[] raw = new byte[rowBytes * size];
        byte[] row = new byte[rowBytes];
        int offset = 0;
        for (int moduleY = 0; moduleY < modules; moduleY++) {
            row[0] = 0; // filter type None
            for (int x = 0; x < modules; x++) {
                row[1 + x] = matrix.get(x, moduleY) ? (byte) 0x00 : (byte) 0xff;
            }
            for (int k = 0; k < PNG_MODULE_PIXELS; k++) {
                System.arraycopy(row, 0, raw, offset, rowBytes);
                offset += rowBytes;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        out.writeBytes(PNG_SIGNATURE);
        byte[] header = new byte[13];
        putInt(header, 0, size);
        putInt(header, 4, size);
        header[8] = 1;  // bit depth
        header[9] = 0;  // colour type: grayscale
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method 0
        header[12] = 0; // no interlace
        chunk(out, "IHDR", header, header.length);
        // level 4: as small as the default level (6) on these images of repeated rows, a quarter of its time
        Deflater deflater = new Deflater(4);
        try {
            deflater.setInput(raw);
            deflater.finish();
            byte[] compressed = new byte[raw.length / 4 + 1024];
            int length = 0;
            while (!deflater.finished()) {
                if (length == compressed.length) {
                    compressed = java.util.Arrays.copyOf(compressed, compressed.length * 2);
                }
                length += deflater.deflate(compressed, length, compressed.length - length);
            }
            chunk(out, "IDAT", compressed, length);
        } finally {
            deflater.end();
        }
        chunk(out, "IEND", new byte[0], 0);
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

    /** The QR code's modules with the quiet zone, one matrix cell a module. */
    static BitMatrix encode(String text) {
        requireText(text);
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, LEVEL);
        hints.put(EncodeHintType.MARGIN, MARGIN);
        if (!ascii(text)) {
            // Configs are ASCII and encoded as plain byte mode like qrencode does; anything else
            // gets UTF-8 with an ECI header so scanners know how to read it.
            hints.put(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        }
        try {
            // zxing would choose the same mask, ten times slower (QrMaskChoice); the code is then zxing's own
            hints.put(EncodeHintType.QR_MASK_PATTERN, QrMaskChoice.choose(text, LEVEL, hints));
            // width/height 0: one pixel per module, the smallest matrix that holds the text
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
        } catch (WriterException e) {
            // zxing's message does not include the text; still, name only the size
            throw new TooLargeException(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    private static void requireText(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("QR code text must not be empty");
        }
    }

    private static boolean ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int length) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        byte[] word = new byte[4];
        putInt(word, 0, length);
        out.writeBytes(word);
        out.writeBytes(typeBytes);
        out.write(data, 0, length);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data, 0, length);
        putInt(word, 0, (int) crc.getValue());
        out.writeBytes(word);
    }

    private static void putInt(byte[] target, int offset, int value) {
        target[offset] = (byte) (value >>> 24);
        target[offset + 1] = (byte) (value >>> 16);
        target[offset + 2] = (byte) (value >>> 8);
        target[offset + 3] = (byte) value;
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
