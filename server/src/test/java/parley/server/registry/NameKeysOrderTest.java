package parley.server.registry;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sorted name index must order keys exactly as {@code String.compareTo} does, whichever side
 * is a reused builder: SEARCH looks up from a builder and then steps from String to String.
 */
class NameKeysOrderTest {
    private static final List<String> KEYS = List.of("", "a", "ab", "abc", "b", "b000001", "b0000010", "b000002",
            "bob", "bobby", "z", "\u00e9t\u00e9", "\uffff", "A", "a\u0000");

    @Test
    void ordersAsStringCompareToForStringsAndBuilders() {
        for (String a : KEYS) {
            for (String b : KEYS) {
                int expected = Integer.signum(a.compareTo(b));
                assertEquals(expected, Integer.signum(NameKeys.ORDER.compare(a, b)), a + " vs " + b);
                assertEquals(expected, Integer.signum(NameKeys.ORDER.compare(new StringBuilder(a), b)), "builder " + a + " vs " + b);
                assertEquals(expected, Integer.signum(NameKeys.ORDER.compare(a, new StringBuilder(b))), a + " vs builder " + b);
            }
        }
    }
}
