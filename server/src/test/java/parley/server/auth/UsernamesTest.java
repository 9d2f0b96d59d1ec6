package parley.server.auth;

import parley.server.protocol.Usernames;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import parley.server.protocol.RegistryErrors;

import static org.assertj.core.api.Assertions.assertThat;

class UsernamesTest {
    @Test
    void acceptsTheAllowedAlphabetAtBothLengthLimits() {
        assertThat(Usernames.validate("abc")).isNull();
        assertThat(Usernames.validate("A_b-c.9")).isNull();
        assertThat(Usernames.validate("x".repeat(32))).isNull();
        assertThat(Usernames.check("Zed.Zed_01-x")).isZero();
    }

    @Test
    void tooShortHasItsOwnCode() {
        Usernames.Problem p = Usernames.validate("ab");
        assertThat(p.code()).isEqualTo(RegistryErrors.USERNAME_TOO_SHORT);
        assertThat(p.message()).contains("at least 3").contains("has 2");
        assertThat(Usernames.check("")).isEqualTo(RegistryErrors.USERNAME_TOO_SHORT);
    }

    @Test
    void tooLongHasItsOwnCode() {
        Usernames.Problem p = Usernames.validate("x".repeat(33));
        assertThat(p.code()).isEqualTo(RegistryErrors.USERNAME_TOO_LONG);
        assertThat(p.message()).contains("at most 32").contains("has 33");
        assertThat(Usernames.check("y".repeat(1000))).isEqualTo(RegistryErrors.USERNAME_TOO_LONG);
    }

    @Test
    void badCharacterReportsItsPosition() {
        Usernames.Problem p = Usernames.validate("ali ce");
        assertThat(p.code()).isEqualTo(RegistryErrors.USERNAME_BAD_CHARACTER);
        assertThat(p.position()).isEqualTo(3);
        assertThat(p.message()).contains("position 3").contains("U+0020");
        assertThat(Usernames.validate("b\u00f6b").position()).isEqualTo(1);
        assertThat(Usernames.validate("\u0430lice").position()).as("Cyrillic a").isZero();
        assertThat(Usernames.validate("abc,").position()).isEqualTo(3);
        assertThat(Usernames.validate("ab=c").position()).isEqualTo(2);
    }

    @Test
    void keyIsLowercaseIndependentOfTheDefaultLocale() {
        java.util.Locale saved = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(new java.util.Locale("tr", "TR")); // dotless-i trap
            assertThat(Usernames.key("ALICE.Internet")).isEqualTo("alice.internet");
        } finally {
            java.util.Locale.setDefault(saved);
        }
        assertThat(Usernames.key("Bob")).isEqualTo(Usernames.key("bOB"));
    }

    @Property
    void validNamesAreExactlyTheAllowedAlphabet(@ForAll @StringLength(min = 3, max = 32)
                                                @CharRange(from = 'a', to = 'z') @CharRange(from = 'A', to = 'Z')
                                                @CharRange(from = '0', to = '9') @Chars({'_', '-', '.'}) String name) {
        assertThat(Usernames.validate(name)).isNull();
        assertThat(Usernames.key(name)).hasSize(name.length());
    }

    @Property
    void checkAndValidateAlwaysAgree(@ForAll @StringLength(max = 40) String any) {
        Usernames.Problem p = Usernames.validate(any);
        assertThat(Usernames.check(any)).isEqualTo(p == null ? 0 : p.code());
    }
}
