package parley.peer.event;

/**
 * Makes text from the network harmless on a terminal, by showing every character that a terminal
 * would act on instead of print as a visible escape: ESC as {@code \e}, other C0 and C1 controls
 * and DEL as {@code \xHH} (newline, return and tab as {@code \n}, {@code \r}, {@code \t}), and the
 * invisible characters that reorder or disguise text (bidi embeddings, overrides and isolates
 * U+202A–U+202E and U+2066–U+2069, the marks U+200E, U+200F and U+061C, the separators U+2028 and
 * U+2029, and unpaired surrogates) as {@code \\uXXXX}. Everything else, backslashes included,
 * passes unchanged.
 *
 * <p>A contact's message, a username or a reason chosen by a registry could otherwise clear the
 * screen, retitle the window, recolour the status line or make text read backwards. This is the
 * one place that decides what is safe; every text line (terminal UI, {@code --script} text mode,
 * the status line) goes through it whole: {@link parley.peer.event.TextFormat#format} escapes each
 * line it renders, not field by field, so no sentence can leave a field out. JSON output does not:
 * its escaping is exact instead.
 */
public final class TerminalSafe {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final char ESC = 0x1B;
    private static final char DEL = 0x7F;
    private static final char C1_LAST = 0x9F;
    private static final char SPACE = 0x20;

    private TerminalSafe() {
    }

    /** The text with every unsafe character escaped; the same instance when nothing needed it. */
    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        int i = 0;
        while (i < n && !unsafe(s, i)) {
            i += Character.isHighSurrogate(s.charAt(i)) ? 2 : 1; // a safe high surrogate has its pair
        }
        if (i >= n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n + 16).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (!unsafe(s, i)) {
                sb.append(c);
                if (Character.isHighSurrogate(c)) {
                    sb.append(s.charAt(++i)); // a valid pair: keep both halves
                }
            } else if (c == ESC) {
                sb.append("\\e");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c <= C1_LAST) {
                sb.append("\\x").append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            } else {
                sb.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                        .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
        }
        return sb.toString();
    }

    /** Whether the character at {@code i} must be escaped (a valid surrogate pair is safe). */
    private static boolean unsafe(String s, int i) {
        char c = s.charAt(i);
        if (c < SPACE || (c >= DEL && c <= C1_LAST)) {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) || isInvisibleFormat(c);
    }

    /** The bidi controls, marks and separators that change how surrounding text is laid out. */
    public static boolean isInvisibleFormat(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200E' || c == '\u200F' || c == '\u061C' || c == '\u2028' || c == '\u2029';
    }
}
