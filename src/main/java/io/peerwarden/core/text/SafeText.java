package io.peerwarden.core.text;

/**
 * Text from a spec (or anything else a user controls) as it may appear in a condition message, an
 * Event or a log line: control characters (C0 such as NUL, newline, tab and ESC; DEL; C1) and the
 * Unicode line and paragraph separators U+2028/U+2029 are written visibly as {@code \}{@code uXXXX},
 * so a value can neither start a new line (forging a log or status line) nor send an escape
 * sequence to a terminal ({@code ESC[31m} shows as {@code \}{@code u001b[31m}), and the whole is
 * bounded in length. The one place this is decided: every message builder goes through here.
 */
public final class SafeText {

    /** Longest message (condition message, Event note), in characters; longer ones are cut with "…". */
    public static final int MAX_MESSAGE = 1000;
    /** Longest part of a user's value a message repeats, in code points; longer ones are cut with "...". */
    public static final int MAX_QUOTED = 80;

    private SafeText() {
    }

    /** True for a code point {@link #escape} writes visibly. */
    public static boolean isUnsafe(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                // an unpaired surrogate cannot be encoded and may be dropped or replaced on the way out
                || type == Character.SURROGATE;
    }

    /** {@code text} with every unsafe character written as {@code \}{@code uXXXX}; null stays null. Idempotent. */
    public static String escape(String text) {
        if (text == null || text.codePoints().noneMatch(SafeText::isUnsafe)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> append(out, c));
        return out.toString();
    }

    /** A message as written: {@link #escape escaped} and at most {@link #MAX_MESSAGE} characters. Idempotent. */
    public static String message(String text) {
        String escaped = escape(text);
        if (escaped == null || escaped.length() <= MAX_MESSAGE) {
            return escaped;
        }
        int end = MAX_MESSAGE - 1;
        if (Character.isHighSurrogate(escaped.charAt(end - 1))) {
            end--;
        }
        return escaped.substring(0, end) + "…";
    }

    /**
     * A user's value as a message repeats it: in single quotes, escaped, and cut after
     * {@link #MAX_QUOTED} code points ("..." marks the cut); null is {@code null}.
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        int[] codePoints = value.codePoints().limit(MAX_QUOTED + 1L).toArray();
        for (int i = 0; i < Math.min(codePoints.length, MAX_QUOTED); i++) {
            append(out, codePoints[i]);
        }
        if (codePoints.length > MAX_QUOTED) {
            out.append("...");
        }
        return out.append('\'').toString();
    }

    private static void append(StringBuilder out, int c) {
        if (isUnsafe(c)) {
            out.append(String.format("\\u%04x", c));
        } else {
            out.appendCodePoint(c);
        }
    }
}
