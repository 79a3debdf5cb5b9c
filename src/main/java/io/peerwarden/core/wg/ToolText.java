package io.peerwarden.core.wg;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place tool output ({@code wg}, {@code ip}, {@code wireguard-go} stderr, and messages built from it) is made
 * safe for status, Events and logs. {@code wg} quotes a bad key file's content in its error, so whatever it read from
 * a Secret would otherwise be published. {@link #sanitize} redacts anything shaped like a key or a token (a run of at
 * least {@value #MIN_TOKEN} base64 or base64url characters, judged by {@link #looksLikeToken}; a WireGuard key is 44),
 * removes ANSI escape sequences, turns control and format characters (line breaks included) into spaces, and bounds
 * the length to {@value #MAX_LENGTH} characters. Idempotent.
 */
public final class ToolText {

    public static final String REDACTED = "[redacted]";
    public static final int MIN_TOKEN = 20;
    public static final int ALWAYS_TOKEN = 40;
    public static final int MAX_LENGTH = 400;

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9+/_-]{" + MIN_TOKEN + ",}=*");
    /** CamelCase words: upper-case runs of at most 3 each followed by at least 2 lower-case letters. */
    private static final Pattern WORDS = Pattern.compile("[a-z]*(?:[A-Z]{1,3}[a-z]{2,})+");
    private static final Pattern ANSI = Pattern.compile("\u001B(?:\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?|[@-_])");

    private ToolText() {
    }

    /** The text with tokens redacted, escapes and control characters removed, at most {@link #MAX_LENGTH} characters; "" for null. */
    public static String sanitize(String text) {
        if (text == null) {
            return "";
        }
        String noEscapes = ANSI.matcher(text).replaceAll("");
        StringBuilder plain = new StringBuilder(noEscapes.length());
        noEscapes.codePoints().forEach(cp -> plain.appendCodePoint(isUnsafe(cp) ? ' ' : cp));
        String redacted = redact(plain.toString());
        String collapsed = redacted.replaceAll(" {2,}", " ").strip();
        if (collapsed.length() <= MAX_LENGTH) {
            return collapsed;
        }
        int cut = MAX_LENGTH - 1;
        if (Character.isHighSurrogate(collapsed.charAt(cut - 1))) {
            cut--;
        }
        return collapsed.substring(0, cut) + "\u2026";
    }

    private static boolean isUnsafe(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
    }

    private static String redact(String text) {
        Matcher m = TOKEN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, looksLikeToken(m.group()) ? Matcher.quoteReplacement(REDACTED) : Matcher.quoteReplacement(m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A key or token. Of {@value #ALWAYS_TOKEN} characters or more: mixed case (random base64 of 43 lacks upper or
     * lower case with a chance of about 1 in 3 billion), or without the separators of names and paths (hex tokens);
     * Kubernetes names, paths and host names are lower case with {@code -} or {@code /}. Shorter: mixed case, unless
     * it reads as words ({@code IllegalStateException}, {@code InterfaceNameNotAllowed}).
     */
    private static boolean looksLikeToken(String run) {
        boolean upper = false;
        boolean lower = false;
        boolean separator = false;
        for (int i = 0; i < run.length(); i++) {
            char c = run.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
            separator |= c == '-' || c == '/';
        }
        if (run.length() >= ALWAYS_TOKEN) {
            return upper && lower || !separator;
        }
        return upper && lower && !WORDS.matcher(run).matches();
    }
}
