package parley.server.registry;

import parley.server.protocol.Usernames;

/**
 * Name keys ({@link Usernames#key}) built in a reused builder, so that SEARCH and LOOKUP_ENDPOINT
 * look names up without allocating.
 */
final class NameKeys {
    private NameKeys() {
    }

    /**
     * The order of the sorted name index: exactly {@code String.compareTo}'s. Between two Strings it
     * is {@code compareTo} itself, which the JIT compiles to a vectorised intrinsic; only a lookup
     * from a reused builder pays {@link CharSequence#compare}'s interface call per character. A
     * SEARCH walk steps from one stored key to the next ({@code higherKey}), so all but its first
     * lookup compare String with String: that step was a tenth of the registry's Java time under
     * the paced bench's lookups (JFR, docs/PERFORMANCE.md).
     */
    static final java.util.Comparator<CharSequence> ORDER = NameKeys::compare;

    static int compare(CharSequence a, CharSequence b) {
        if (a instanceof String && b instanceof String) {
            return ((String) a).compareTo((String) b);
        }
        return CharSequence.compare(a, b);
    }

    /** Turns the text in {@code b} into its name key, in place, and returns {@code b}. */
    static StringBuilder fold(StringBuilder b) {
        int n = b.length();
        for (int i = 0; i < n; i++) {
            if (b.charAt(i) >= 0x80) {
                // Never a name, but answered exactly as before: lower-cased by the very same rule.
                String key = Usernames.key(b.toString());
                b.setLength(0);
                return b.append(key);
            }
        }
        for (int i = 0; i < n; i++) {
            char c = b.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                b.setCharAt(i, (char) (c + ('a' - 'A'))); // what toLowerCase(Locale.ROOT) does to ASCII
            }
        }
        return b;
    }

    /** {@code b} := the key of {@code text}; {@code text} is left as it is. */
    static StringBuilder keyOf(CharSequence text, StringBuilder b) {
        b.setLength(0);
        b.append(text);
        return fold(b);
    }

    static boolean startsWith(String s, CharSequence prefix) {
        int n = prefix.length();
        if (s.length() < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
