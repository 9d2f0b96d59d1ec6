package parley.peer.event;

import org.junit.jupiter.api.Test;
import parley.peer.event.PeerEvent;
import parley.peer.event.Json;
import parley.peer.event.TextFormat;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalSafeTest {
    /** The exact message of issue 10: retitle the window, clear the screen, turn red, read backwards. */
    static final String EVIL = "EVIL\u001b]0;PWNED\u0007\u001b[2J\u001b[31mred\u202eRTL";
    static final String EVIL_SHOWN = "EVIL\\e]0;PWNED\\x07\\e[2J\\e[31mred\\u202ERTL";

    @Test
    void escapesTheIssueExampleVisibly() {
        assertThat(TerminalSafe.escape(EVIL)).isEqualTo(EVIL_SHOWN);
    }

    @Test
    void escapesEveryControlAndBidiCharacterAndKeepsTheRest() {
        assertThat(TerminalSafe.escape("a\nb\rc\td\u0000e\u007ff\u0085g\u009bh")).isEqualTo("a\\nb\\rc\\td\\x00e\\x7Ff\\x85g\\x9Bh");
        for (char c : "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029".toCharArray()) {
            assertThat(TerminalSafe.escape("x" + c)).isEqualTo(String.format("x\\u%04X", (int) c));
        }
        assertThat(TerminalSafe.escape("\ud83d\ude00 ok \\ é")).isEqualTo("\ud83d\ude00 ok \\ é");
        assertThat(TerminalSafe.escape("lone \ud83d and \ude00")).isEqualTo("lone \\uD83D and \\uDE00");
        String plain = "nothing to do";
        assertThat(TerminalSafe.escape(plain)).isSameAs(plain);
    }

    @Test
    void textFormatEscapesEveryFieldFromTheNetworkEvenNested() {
        String line = TextFormat.format(new MessageEvents.Message("mal\u001b[2Jlory", 1, EVIL, 0));
        assertThat(line).endsWith("<mal\\e[2Jlory> " + EVIL_SHOWN).doesNotContain("\u001b").doesNotContain("\u202e");
        String who = TextFormat.format(new ContactEvents.Who(List.of(new ContactEvents.UserState("x\u202ey", "online", 0))));
        assertThat(who).contains("x\\u202Ey").doesNotContain("\u202e");
        String closed = TextFormat.format(new SessionEvents.SessionClosed("bob", "bye\u0007\u009b31m"));
        assertThat(closed).endsWith("closed: bye\\x07\\x9B31m");
        // Lines are escaped whole, so a line break inside a field cannot start a line of its own.
        String help = TextFormat.format(new ConsoleEvents.Help(List.of("a\nb\u001b[2J", "c")));
        assertThat(help).isEqualTo("a\\nb\\e[2J\nc");
    }

    @Test
    void jsonKeepsTheTextExactButEscapesItAsJson() {
        String json = Json.write(new MessageEvents.Message("bob", 1, EVIL + "\u0085", 0));
        assertThat(json).contains("\"text\":\"EVIL\\u001b]0;PWNED\\u0007\\u001b[2J\\u001b[31mred\\u202eRTL\\u0085\"");
        assertThat(json.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e)).isTrue();
    }
}
