package parley.peer.event;


import java.util.List;

/**
 * A tiny JSON writer for events: one object per line, the {@code event} name first, then the
 * fields as the event writes them ({@link PeerEvent#fields}). Strings are escaped per RFC 8259: quote,
 * backslash and every control character below U+0020; U+2028 and U+2029 too, so a line is also
 * safe to paste into JavaScript. DEL, the C1 controls (U+0080–U+009F) and the bidi controls and
 * marks (see {@link parley.peer.event.TerminalSafe}) are written as {@code \\uXXXX} escapes as
 * well: the same characters, exactly, but a JSON line read on a terminal cannot act on it.
 * Unpaired surrogates become U+FFFD rather than invalid UTF-8.
 */
public final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    public static String write(PeerEvent e) {
        StringBuilder sb = new StringBuilder(64);
        sb.append("{\"event\":");
        string(sb, e.type());
        e.fields(new ObjectWriter(sb, true));
        return sb.append('}').toString();
    }

    /** Appends each field as {@code ,"name":value}; the first one of a nested object without the comma. */
    private static final class ObjectWriter implements FieldWriter {
        private final StringBuilder sb;
        private boolean comma;

        ObjectWriter(StringBuilder sb, boolean comma) {
            this.sb = sb;
            this.comma = comma;
        }

        private StringBuilder name(String name) {
            if (comma) {
                sb.append(',');
            }
            comma = true;
            string(sb, name);
            return sb.append(':');
        }

        @Override
        public FieldWriter str(String name, String value) {
            name(name);
            if (value == null) {
                sb.append("null");
            } else {
                string(sb, value);
            }
            return this;
        }

        @Override
        public FieldWriter num(String name, long value) {
            name(name).append(value);
            return this;
        }

        @Override
        public FieldWriter optNum(String name, long value) {
            if (value < 0) {
                name(name).append("null");
            } else {
                name(name).append(value);
            }
            return this;
        }

        @Override
        public FieldWriter dbl(String name, double value) {
            if (Double.isFinite(value)) {
                name(name).append(value);
            } else {
                name(name).append("null"); // JSON has no NaN or infinity
            }
            return this;
        }

        @Override
        public FieldWriter bool(String name, boolean value) {
            name(name).append(value);
            return this;
        }

        @Override
        public FieldWriter strs(String name, List<String> values) {
            name(name).append('[');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                string(sb, values.get(i));
            }
            sb.append(']');
            return this;
        }

        @Override
        public FieldWriter parts(String name, List<? extends PeerEvent.Part> values) {
            name(name).append('[');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append('{');
                values.get(i).fields(new ObjectWriter(sb, false));
                sb.append('}');
            }
            sb.append(']');
            return this;
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
