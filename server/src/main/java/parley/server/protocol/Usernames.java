package parley.server.protocol;

import parley.server.protocol.RegistryErrors;

import java.util.Locale;

/**
 * The user-name rule: 3 to 32 characters, each an ASCII letter, digit, '_', '-' or '.'.
 * Names are unique without regard to case; {@link #key} gives the canonical form used for
 * uniqueness, lookups and throttling.
 *
 * <p>Only ASCII letters are allowed on purpose: with Unicode letters, "lowercase" depends on
 * locale and many names look alike (Cyrillic 'а' vs Latin 'a'), which would allow impersonation.
 * ASCII names also never need SCRAM's saslname escaping and are one byte per character.
 */
public final class Usernames {
    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 32;

    /** Why a name was refused: a registry error code, a message for people, the offending index or -1. */
    public record Problem(int code, String message, int position) {
    }

    private Usernames() {
    }

    public static boolean isAllowedChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == '.';
    }

    /** Error code for {@code name}, or 0 when it is valid. Allocates nothing. */
    public static int check(CharSequence name) {
        int n = name.length();
        // Length first: the simplest rule to explain, and a too-long name is never scanned.
        if (n < MIN_LENGTH) {
            return RegistryErrors.USERNAME_TOO_SHORT;
        }
        if (n > MAX_LENGTH) {
            return RegistryErrors.USERNAME_TOO_LONG;
        }
        return badCharAt(name) < 0 ? 0 : RegistryErrors.USERNAME_BAD_CHARACTER;
    }

    /** The problem with {@code name}, or null when it is valid. */
    public static Problem validate(CharSequence name) {
        int n = name.length();
        if (n < MIN_LENGTH) {
            return new Problem(RegistryErrors.USERNAME_TOO_SHORT,
                    "user name must have at least " + MIN_LENGTH + " characters, has " + n, -1);
        }
        if (n > MAX_LENGTH) {
            return new Problem(RegistryErrors.USERNAME_TOO_LONG,
                    "user name must have at most " + MAX_LENGTH + " characters, has " + n, -1);
        }
        int bad = badCharAt(name);
        if (bad >= 0) {
            return new Problem(RegistryErrors.USERNAME_BAD_CHARACTER,
                    "user name has a character not allowed at position " + bad
                            + " (" + describe(name, bad) + "); allowed are A-Z a-z 0-9 _ - .", bad);
        }
        return null;
    }

    /** Canonical key: the name in lower case (Locale.ROOT, so the result never depends on the host). */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static int badCharAt(CharSequence name) {
        for (int i = 0; i < name.length(); i++) {
            if (!isAllowedChar(name.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(CharSequence name, int i) {
        int cp = Character.codePointAt(name, i);
        return String.format(Locale.ROOT, "U+%04X", cp);
    }
}
