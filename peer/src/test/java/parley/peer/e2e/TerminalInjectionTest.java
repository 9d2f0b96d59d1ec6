package parley.peer.e2e;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 10 defect 2: a contact's message must not reach the terminal raw in script text mode. */
class TerminalInjectionTest extends PeerFixture {
    private static final String EVIL = "EVIL\u001b]0;PWNED\u0007\u001b[2J\u001b[31mred\u202eRTL";

    @Test
    void aReceivedMessageWithEscapeSequencesAndBidiOverridesIsShownEscapedInTextMode() throws Exception {
        TestPeer mallory = peer("mallory").signUp();
        TestPeer amy = textPeer("amy").signUp();
        mallory.cmd("/add amy");
        amy.await("contact_request", "from", "mallory");
        amy.cmd("/accept mallory");
        mallory.await("contact", "change", "accepted");

        mallory.cmd("/msg amy " + EVIL);
        amy.await("message", "text", EVIL); // the event itself keeps the exact text
        mallory.await("delivered");

        String shown = amy.outputLines().stream().filter(l -> l.contains("<mallory>")).findFirst().orElseThrow();
        assertThat(shown).endsWith("<mallory> EVIL\\e]0;PWNED\\x07\\e[2J\\e[31mred\\u202ERTL");
        assertThat(String.join("\n", amy.outputLines())).doesNotContain("\u001b").doesNotContain("\u0007")
                .doesNotContain("\u202e");
    }
}
