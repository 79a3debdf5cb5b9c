package io.peerwarden.core.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@link QrMaskChoice} chooses what zxing's encoder chooses, and scores each mask as the spec's four rules do. */
class QrMaskChoiceTest {

    private static final ErrorCorrectionLevel LEVEL = ErrorCorrectionLevel.M;
    private static final String ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

    @Test
    void choosesZxingsMaskForTextsOfEveryVersionAndMode() throws Exception {
        Random random = new Random(20261201);
        TreeSet<Integer> versions = new TreeSet<>();
        int[] chosen = new int[QRCode.NUM_MASK_PATTERNS];
        for (String text : texts(random)) {
            Map<EncodeHintType, Object> hints = hints(text);
            QRCode zxing = Encoder.encode(text, LEVEL, hints);
            versions.add(zxing.getVersion().getVersionNumber());
            int mask = QrMaskChoice.choose(text, LEVEL, hints);
            assertThat(mask).as("mask for a text of %d characters (version %d)", text.length(),
                    zxing.getVersion().getVersionNumber()).isEqualTo(zxing.getMaskPattern());
            chosen[mask]++;
        }
        assertThat(versions).as("versions the texts reached").hasSize(40);
        assertThat(java.util.Arrays.stream(chosen).boxed().toList()).as("how often each mask was chosen: every mask wins somewhere").allMatch(n -> n > 0);
    }

    @Test
    void scoresEveryMaskAsTheFourRulesDoCellByCell() throws Exception {
        Random random = new Random(7);
        List<String> texts = List.of(QrCodesTest.realisticConfig(), text(random, 30), text(random, 700), text(random, 2200));
        for (String text : texts) {
            for (int mask = 0; mask < QRCode.NUM_MASK_PATTERNS; mask++) {
                ByteMatrix matrix = Encoder.encode(text, LEVEL, QrMaskChoice.withMask(hints(text), mask)).getMatrix();
                assertThat(QrMaskChoice.penalty(QrMaskChoice.BitLines.rowsOf(matrix), QrMaskChoice.BitLines.columnsOf(matrix)))
                        .as("penalty of mask %d, %d characters", mask, text.length()).isEqualTo(referencePenalty(matrix));
            }
        }
    }

    @Test
    void qrCodesDrawsTheCodeZxingDrawsOnItsOwn() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 40; i++) {
            String text = i == 0 ? QrCodesTest.realisticConfig() : text(random, 1 + random.nextInt(1500));
            Map<EncodeHintType, Object> hints = hints(text);
            hints.put(EncodeHintType.MARGIN, QrCodes.MARGIN);
            BitMatrix zxing = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
            assertThat(QrCodes.encode(text)).as("text of %d characters", text.length()).isEqualTo(zxing);
        }
    }

    /** Texts from 1 character to the largest a code holds, in byte, numeric and alphanumeric mode and in UTF-8. */
    private static List<String> texts(Random random) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            texts.add(QrCodesTest.realisticConfig());
        }
        for (int length = 1; length <= 2330; length += 1 + length / 40) {
            texts.add(text(random, length));
        }
        for (int length = 1; length <= 5500; length += 37 + length / 8) {
            texts.add(fromAlphabet(random, "0123456789", length));
        }
        for (int length = 1; length <= 3300; length += 29 + length / 8) {
            texts.add(fromAlphabet(random, ALPHANUMERIC, length));
        }
        for (int length = 1; length <= 1000; length += 41 + length / 4) {
            texts.add(fromAlphabet(random, "äöüßéñ€漢字 abc", length));
        }
        return texts;
    }

    private static String text(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (random.nextInt(10) == 0 ? '\n' : 32 + random.nextInt(95)));
        }
        return text.toString();
    }

    private static String fromAlphabet(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** The hints {@link QrCodes} encodes a text with. */
    private static Map<EncodeHintType, Object> hints(String text) {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, LEVEL);
        if (!text.chars().allMatch(c -> c < 0x80)) {
            hints.put(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        }
        return hints;
    }

    /** ISO/IEC 18004's four mask penalty rules, module by module, read as zxing reads them. */
    private static int referencePenalty(ByteMatrix m) {
        int size = m.getWidth();
        int penalty = 0;
        for (int horizontal = 0; horizontal < 2; horizontal++) {
            for (int i = 0; i < size; i++) {
                int run = 0;
                int previous = -1;
                for (int j = 0; j <= size; j++) {
                    int bit = j == size ? -2 : horizontal == 1 ? m.get(j, i) : m.get(i, j);
                    if (bit == previous) {
                        run++;
                    } else {
                        if (run >= 5) {
                            penalty += 3 + run - 5;
                        }
                        run = 1;
                        previous = bit;
                    }
                }
            }
        }
        for (int y = 0; y + 1 < size; y++) {
            for (int x = 0; x + 1 < size; x++) {
                int v = m.get(x, y);
                if (v == m.get(x + 1, y) && v == m.get(x, y + 1) && v == m.get(x + 1, y + 1)) {
                    penalty += 3;
                }
            }
        }
        int[] finder = {1, 0, 1, 1, 1, 0, 1};
        for (int a = 0; a < size; a++) {
            for (int b = 0; b + 6 < size; b++) {
                for (int horizontal = 0; horizontal < 2; horizontal++) {
                    boolean matches = true;
                    for (int k = 0; k < 7; k++) {
                        matches &= at(m, horizontal == 1, a, b + k) == finder[k];
                    }
                    if (matches && (light(m, horizontal == 1, a, b - 4, b) || light(m, horizontal == 1, a, b + 7, b + 11))) {
                        penalty += 40;
                    }
                }
            }
        }
        int dark = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                dark += m.get(x, y);
            }
        }
        return penalty + Math.abs(dark * 2 - size * size) * 10 / (size * size) * 10;
    }

    private static int at(ByteMatrix m, boolean horizontal, int line, int position) {
        return horizontal ? m.get(position, line) : m.get(line, position);
    }

    /** Modules [from, to) of a line are all light; a stretch reaching outside the matrix is not. */
    private static boolean light(ByteMatrix m, boolean horizontal, int line, int from, int to) {
        if (from < 0 || to > m.getWidth()) {
            return false;
        }
        for (int p = from; p < to; p++) {
            if (at(m, horizontal, line, p) == 1) {
                return false;
            }
        }
        return true;
    }
}
