package parley.peer.event;

import parley.peer.output.TerminalSafe;

import java.util.List;

/**
 * A tiny JSON writer for events: one object per line. Strings are escaped per RFC 8259: quote,
 * backslash and every control character below U+0020; U+2028 and U+2029 too, so a line is also
 * safe to paste into JavaScript. DEL, the C1 controls (U+0080–U+009F) and the bidi controls and
 * marks (see {@link parley.peer.output.TerminalSafe}) are written as {@code \\uXXXX} escapes as
 * well: the same characters, exactly, but a JSON line read on a terminal cannot act on it.
 * Unpaired surrogates become U+FFFD rather than invalid UTF-8.
 */
public final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    public static String write(Event e) {
        StringBuilder sb = new StringBuilder(64);
        sb.append("{\"event\":");
        string(sb, e.type());
        Event.Fields f = e.fields();
        for (int i = 0; i < f.size(); i++) {
            sb.append(',');
            string(sb, f.name(i));
            sb.append(':');
            value(sb, f.value(i));
        }
        return sb.append('}').toString();
    }

    static void value(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            string(sb, (String) v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                sb.append(d);
            } else {
                sb.append("null"); // JSON has no NaN or infinity
            }
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Event.Fields) {
            Event.Fields f = (Event.Fields) v;
            sb.append('{');
            for (int i = 0; i < f.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                string(sb, f.name(i));
                sb.append(':');
                value(sb, f.value(i));
            }
            sb.append('}');
        } else if (v instanceof List) {
            sb.append('[');
            List<?> list = (List<?>) v;
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                value(sb, list.get(i));
            }
            sb.append(']');
        } else {
            string(sb, v.toString());
        }
    }

    public static void string(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || TerminalSafe.isInvisibleFormat(c)) {
                        unicode(sb, c);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                            sb.append(c).append(s.charAt(++i));
                        } else {
                            unicode(sb, '\uFFFD');
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        unicode(sb, '\uFFFD');
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    private static void unicode(StringBuilder sb, char c) {
        sb.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }
}
