package parley.peer.file;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile names from a FILE_OFFER never leave the downloads directory nor reach a terminal raw. */
class FileNamesTest {
    @Test
    void pathTraversalKeepsOnlyTheLastComponent() {
        assertThat(FileNames.sanitise("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileNames.sanitise("..\\..\\windows\\win.ini")).isEqualTo("win.ini");
        assertThat(FileNames.sanitise("/abs/path/")).isEqualTo(FileNames.FALLBACK);
    }

    @Test
    void dotsAndSpacesCannotMakeParentOrHiddenNames() {
        assertThat(FileNames.sanitise("..")).isEqualTo(FileNames.FALLBACK);
        assertThat(FileNames.sanitise(".")).isEqualTo(FileNames.FALLBACK);
        assertThat(FileNames.sanitise(" . .bashrc ")).isEqualTo("bashrc");
        assertThat(FileNames.sanitise("a..b.txt")).isEqualTo("a..b.txt");
    }

    @Test
    void controlAndBidiCharactersAreDropped() {
        // "invoice\u202Efdp.exe" shows as "invoiceexe.pdf" in a bidi-aware terminal
        assertThat(FileNames.sanitise("invoice\u202Efdp.exe")).isEqualTo("invoicefdp.exe");
        assertThat(FileNames.sanitise("a\u0000b\u001b[31mc\u007f\u2066\u2069\u200e\u061c.txt")).isEqualTo("ab[31mc.txt");
        assertThat(FileNames.sanitise("line\u2028break")).isEqualTo("linebreak");
    }

    @Test
    void lengthIsBoundedOnACodePointBoundary() {
        String s = FileNames.sanitise("é".repeat(300));
        assertThat(s.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FileNames.MAX_BYTES);
        assertThat(s).isEqualTo("é".repeat(100));
        String emoji = FileNames.sanitise("x" + "\uD83D\uDE00".repeat(60));
        assertThat(emoji.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FileNames.MAX_BYTES);
        assertThat(emoji.codePoints().allMatch(cp -> cp == 'x' || cp == 0x1F600)).isTrue();
    }

    @Test
    void ordinaryNamesPassUnchanged() {
        assertThat(FileNames.sanitise("holiday photo (2).jpg")).isEqualTo("holiday photo (2).jpg");
        assertThat(FileNames.sanitise("日本語.txt")).isEqualTo("日本語.txt");
    }
}
