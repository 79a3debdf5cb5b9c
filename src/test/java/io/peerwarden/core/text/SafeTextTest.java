package io.peerwarden.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one rule for user text in messages: control characters visible, length bounded. */
class SafeTextTest {

    @Test
    void everyKindOfControlCharacterIsWrittenVisibly() {
        String hostile = "a\u0000b\nc\u001b[31md\u007fe\u0085f\u009bg\u2028h\u2029i\tj";
        assertThat(SafeText.escape(hostile))
                .isEqualTo("a\\u0000b\\u000ac\\u001b[31md\\u007fe\\u0085f\\u009bg\\u2028h\\u2029i\\u0009j");
        assertThat(SafeText.escape(hostile).codePoints().noneMatch(SafeText::isUnsafe)).isTrue();
    }

    @Test
    void escapingTwiceChangesNothingSoAStoredMessageIsStable() {
        String once = SafeText.message("x\u001b" + "y".repeat(5000));
        assertThat(SafeText.message(once)).isEqualTo(once);
        assertThat(once).hasSize(SafeText.MAX_MESSAGE).endsWith("…");
    }

    @Test
    void plainTextAndUnicodeLettersAreLeftAlone() {
        assertThat(SafeText.message("Alice's laptop – Zürich 🚀")).isEqualTo("Alice's laptop – Zürich 🚀");
    }

    @Test
    void aQuotedValueIsCutAfterEightyCharacters() {
        assertThat(SafeText.quote("z".repeat(200))).isEqualTo("'" + "z".repeat(80) + "...'");
        assertThat(SafeText.quote("\u2028")).isEqualTo("'\\u2028'");
        assertThat(SafeText.quote(null)).isEqualTo("null");
    }
}
