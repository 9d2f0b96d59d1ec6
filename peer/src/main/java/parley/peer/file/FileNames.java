package parley.peer.file;

import java.nio.charset.StandardCharsets;

/**
 * Makes a file name from the network safe to create in the downloads directory (PROTOCOL.md
 * section 9.7): the last path component only, no control or format characters (the bidi
 * controls are format characters), no leading dots or spaces (so no {@code ..} and no hidden
 * file), no trailing spaces, at most {@link #MAX_BYTES} UTF-8 bytes, never empty. The result
 * also never reaches a terminal with anything a terminal would act on.
 */
public final class FileNames {
    /** The longest sanitised name in UTF-8 bytes: room under common 255-byte limits for " (99).part". */
    public static final int MAX_BYTES = 200;
    public static final String FALLBACK = "file";

    private FileNames() {
    }

    public static String sanitise(String raw) {
        int cut = Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\'));
        String last = raw.substring(cut + 1);
        StringBuilder b = new StringBuilder(last.length());
        last.codePoints().filter(FileNames::allowed).forEach(b::appendCodePoint);
        int start = 0;
        while (start < b.length() && (b.charAt(start) == '.' || b.charAt(start) == ' ')) {
            start++;
        }
        int end = b.length();
        while (end > start && b.charAt(end - 1) == ' ') {
            end--;
        }
        String s = truncate(b.substring(start, end));
        return s.isEmpty() ? FALLBACK : s;
    }

    private static boolean allowed(int cp) {
        int type = Character.getType(cp);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
                && type != Character.SURROGATE && type != Character.PRIVATE_USE
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
    }

    /** Cuts to at most {@link #MAX_BYTES} UTF-8 bytes on a code point boundary, then drops trailing spaces. */
    private static String truncate(String s) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > MAX_BYTES) {
                break;
            }
            b.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return b.toString().stripTrailing();
    }
}
