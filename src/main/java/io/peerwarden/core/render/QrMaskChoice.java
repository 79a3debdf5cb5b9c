package io.peerwarden.core.render;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The mask pattern zxing's encoder would choose for a text, found about ten times faster. Drawing a config's QR code
 * was most of the operator's CPU per new peer, and most of that was zxing's mask choice: it builds the whole matrix
 * once per mask (eight times) and scores each one cell by cell with the four penalty rules of ISO/IEC 18004. The
 * choice matters for scanning (the rules keep away large blocks and finder-like patterns), so it is kept, exactly:
 * the same rules as zxing reads them, the lowest penalty, ties to the lower mask.
 *
 * <p>What makes it cheap: masking is an XOR of the data modules, and every other module (finder, timing, alignment,
 * version and format patterns) is the same for every text of a version. So the matrix for mask {@code m} is the
 * matrix for mask 0 XOR a difference that depends only on the version and {@code m}; that difference is taken once
 * per version from zxing's own matrices, and each text needs one zxing matrix (mask 0), eight XORs and the rules
 * scored on 64 modules at a time. {@code QrMaskChoiceTest} compares the choice with zxing's on texts of every version.
 */
final class QrMaskChoice {

    private static final int MASKS = QRCode.NUM_MASK_PATTERNS;
    private static final int RUN = 3;       // rule 1: a run of five or more modules of one colour, 3 + (length - 5)
    private static final int BLOCK = 3;     // rule 2: each 2x2 block of one colour
    private static final int FINDER = 40;   // rule 3: 1:1:3:1:1 dark-light pattern with four light modules on a side
    private static final int BALANCE = 10;  // rule 4: each 5% the dark share is away from half

    /** Per version (1-40): what turns the mask-0 matrix into each mask's, as rows and as columns. */
    private static final AtomicReferenceArray<MaskDifferences> DIFFERENCES = new AtomicReferenceArray<>(41);

    private QrMaskChoice() {
    }

    /**
     * The mask zxing's {@link Encoder} chooses for the text at error correction {@code level} with these hints.
     *
     * @throws WriterException as zxing's encoder does (the text does not fit)
     */
    static int choose(String text, ErrorCorrectionLevel level, Map<EncodeHintType, Object> hints) throws WriterException {
        QRCode maskZero = Encoder.encode(text, level, withMask(hints, 0));
        int version = maskZero.getVersion().getVersionNumber();
        MaskDifferences differences = DIFFERENCES.get(version);
        if (differences == null) {
            differences = MaskDifferences.of(text, level, hints, maskZero.getMatrix());
            DIFFERENCES.compareAndSet(version, null, differences);
        }
        BitLines rows = BitLines.rowsOf(maskZero.getMatrix());
        BitLines columns = BitLines.columnsOf(maskZero.getMatrix());
        int best = 0;
        int lowest = Integer.MAX_VALUE;
        for (int mask = 0; mask < MASKS; mask++) {
            int penalty = penalty(rows.xor(differences.rows[mask]), columns.xor(differences.columns[mask]));
            if (penalty < lowest) {
                lowest = penalty;
                best = mask;
            }
        }
        return best;
    }

    static Map<EncodeHintType, Object> withMask(Map<EncodeHintType, Object> hints, int mask) {
        Map<EncodeHintType, Object> withMask = new EnumMap<>(EncodeHintType.class);
        withMask.putAll(hints);
        withMask.put(EncodeHintType.QR_MASK_PATTERN, mask);
        return withMask;
    }

    /** The four rules over a square matrix given both as rows and as columns (dark = 1). */
    static int penalty(BitLines rows, BitLines columns) {
        return runs(rows) + runs(columns) + BLOCK * blocks(rows) + FINDER * (finders(rows) + finders(columns))
                + BALANCE * balance(rows);
    }

    /** Rule 1 along each line: a run of length L ≥ 5 costs L - 2, i.e. its L - 4 windows of five plus 2 for the run. */
    private static int runs(BitLines lines) {
        int penalty = 0;
        long[] same = new long[lines.words];
        long[] five = new long[lines.words];
        for (int line = 0; line < lines.size; line++) {
            int base = line * lines.words;
            // same[x]: module x has the colour of x + 1; five[x]: x .. x + 4 have one colour
            for (int w = 0; w < lines.words; w++) {
                same[w] = ~(lines.bits[base + w] ^ lines.shifted(base, w, 1)) & lines.valid(w, lines.size - 1);
            }
            for (int w = 0; w < lines.words; w++) {
                five[w] = same[w] & shifted(same, w, 1) & shifted(same, w, 2) & shifted(same, w, 3);
            }
            for (int w = 0; w < lines.words; w++) {
                long previous = (five[w] << 1) | (w > 0 ? five[w - 1] >>> 63 : 0);
                penalty += Long.bitCount(five[w]) + (RUN - 1) * Long.bitCount(five[w] & ~previous);
            }
        }
        return penalty;
    }

    /** Rule 2: 2x2 blocks of one colour (overlapping ones each count). */
    private static int blocks(BitLines rows) {
        int count = 0;
        for (int y = 0; y + 1 < rows.size; y++) {
            int top = y * rows.words;
            int bottom = top + rows.words;
            for (int w = 0; w < rows.words; w++) {
                long vertical = ~(rows.bits[top + w] ^ rows.bits[bottom + w]);
                long verticalNext = ~(rows.shifted(top, w, 1) ^ rows.shifted(bottom, w, 1));
                long horizontal = ~(rows.bits[top + w] ^ rows.shifted(top, w, 1));
                count += Long.bitCount(vertical & verticalNext & horizontal & rows.valid(w, rows.size - 1));
            }
        }
        return count;
    }

    /**
     * Rule 3 along each line: dark-light-dark-dark-dark-light-dark with four light modules just before or just after
     * it, counted once however many sides are light; as zxing reads it, the four must lie inside the matrix.
     */
    private static int finders(BitLines lines) {
        int count = 0;
        long[] light = new long[lines.words];
        long[] lightFour = new long[lines.words];
        for (int line = 0; line < lines.size; line++) {
            int base = line * lines.words;
            for (int w = 0; w < lines.words; w++) {
                light[w] = ~lines.bits[base + w] & lines.valid(w, lines.size);
            }
            for (int w = 0; w < lines.words; w++) {
                lightFour[w] = light[w] & shifted(light, w, 1) & shifted(light, w, 2) & shifted(light, w, 3);
            }
            for (int w = 0; w < lines.words; w++) {
                long pattern = lines.bits[base + w] & ~lines.shifted(base, w, 1) & lines.shifted(base, w, 2)
                        & lines.shifted(base, w, 3) & lines.shifted(base, w, 4) & ~lines.shifted(base, w, 5)
                        & lines.shifted(base, w, 6) & lines.valid(w, lines.size - 6);
                long lightBefore = (lightFour[w] << 4) | (w > 0 ? lightFour[w - 1] >>> 60 : 0);
                long lightAfter = shifted(lightFour, w, 7);
                count += Long.bitCount(pattern & (lightBefore | lightAfter));
            }
        }
        return count;
    }

    /** Rule 4: how many whole 5% steps the share of dark modules is away from 50%. */
    private static int balance(BitLines rows) {
        int dark = 0;
        for (long word : rows.bits) {
            dark += Long.bitCount(word);
        }
        int total = rows.size * rows.size;
        return Math.abs(dark * 2 - total) * 10 / total;
    }

    /** Word {@code w} of {@code words} moved down by {@code k} (1-63) bits: bit x becomes bit x + k of the line. */
    private static long shifted(long[] words, int w, int k) {
        return (words[w] >>> k) | (w + 1 < words.length ? words[w + 1] << (64 - k) : 0);
    }

    /** The lines (rows or columns) of a square matrix, {@code words} longs a line, bit x of a line = module x. */
    static final class BitLines {
        final int size;
        final int words;
        final long[] bits;

        BitLines(int size) {
            this.size = size;
            this.words = (size + 63) >>> 6;
            this.bits = new long[size * words];
        }

        static BitLines rowsOf(ByteMatrix matrix) {
            return linesOf(matrix, false);
        }

        static BitLines columnsOf(ByteMatrix matrix) {
            return linesOf(matrix, true);
        }

        /** The matrix's rows, or (transposed) its columns, as bit lines. */
        private static BitLines linesOf(ByteMatrix matrix, boolean transposed) {
            BitLines lines = new BitLines(matrix.getWidth());
            byte[][] array = matrix.getArray();
            for (int y = 0; y < lines.size; y++) {
                for (int x = 0; x < lines.size; x++) {
                    if (array[y][x] == 1) {
                        int line = transposed ? x : y;
                        int position = transposed ? y : x;
                        lines.bits[line * lines.words + (position >>> 6)] |= 1L << position;
                    }
                }
            }
            return lines;
        }

        BitLines xor(BitLines other) {
            BitLines result = new BitLines(size);
            for (int i = 0; i < bits.length; i++) {
                result.bits[i] = bits[i] ^ other.bits[i];
            }
            return result;
        }

        /** Word w of the line starting at {@code base}, moved down by k bits (zeros past the line's end). */
        long shifted(int base, int w, int k) {
            return (bits[base + w] >>> k) | (w + 1 < words ? bits[base + w + 1] << (64 - k) : 0);
        }

        /** The bits of word w that are positions below {@code limit} of a line. */
        long valid(int w, int limit) {
            int below = limit - w * 64;
            return below >= 64 ? -1L : below <= 0 ? 0 : (1L << below) - 1;
        }
    }

    /** For one version: mask m's matrix = mask 0's XOR {@code rows[m]} (and the same as columns). */
    private static final class MaskDifferences {
        final BitLines[] rows = new BitLines[MASKS];
        final BitLines[] columns = new BitLines[MASKS];

        static MaskDifferences of(String text, ErrorCorrectionLevel level, Map<EncodeHintType, Object> hints, ByteMatrix maskZero)
                throws WriterException {
            MaskDifferences differences = new MaskDifferences();
            BitLines zeroRows = BitLines.rowsOf(maskZero);
            BitLines zeroColumns = BitLines.columnsOf(maskZero);
            for (int mask = 0; mask < MASKS; mask++) {
                ByteMatrix matrix = mask == 0 ? maskZero : Encoder.encode(text, level, withMask(hints, mask)).getMatrix();
                differences.rows[mask] = BitLines.rowsOf(matrix).xor(zeroRows);
                differences.columns[mask] = BitLines.columnsOf(matrix).xor(zeroColumns);
            }
            return differences;
        }
    }
}
