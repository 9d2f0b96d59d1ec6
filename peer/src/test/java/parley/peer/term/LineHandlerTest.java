package parley.peer.term;

import org.junit.jupiter.api.Test;
import parley.peer.command.Command;
import parley.peer.command.CommandSpec;
import parley.peer.event.PeerEvent;
import parley.peer.event.ConsoleEvents;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineHandlerTest {
    private final List<Command> submitted = new ArrayList<>();
    private final List<PeerEvent> events = new ArrayList<>();

    @Test
    void scriptModeTakesInlinePasswordsAndQuitStopsInput() {
        LineHandler h = new LineHandler(submitted::add, events::add, true, null);
        assertThat(h.accept("/login amy secret")).isTrue();
        assertThat(submitted.get(0).args()).containsExactly("amy", "secret");
        assertThat(h.accept("/quit")).isFalse();
        assertThat(submitted.get(1).spec()).isEqualTo(CommandSpec.QUIT);
    }

    @Test
    void anInlineScriptPasswordIsTheRestOfTheLineSpacesIncluded() {
        LineHandler h = new LineHandler(submitted::add, events::add, true, null);
        h.accept("/register amy correct horse  battery staple  ");
        h.accept("/login amy correct horse  battery staple");
        assertThat(events).isEmpty();
        assertThat(submitted.get(0).args()).containsExactly("amy", "correct horse  battery staple");
        assertThat(submitted.get(1).args()).containsExactly("amy", "correct horse  battery staple");
    }

    @Test
    void aTerminalRefusesInlinePasswordsAndAsksInstead() {
        LineHandler h = new LineHandler(submitted::add, events::add, false, (user, registering) -> "asked-" + user);
        h.accept("/login amy secret");
        assertThat(submitted).isEmpty();
        assertThat(error(0).message()).contains("history");
        h.accept("/login amy");
        assertThat(submitted.get(0).args()).containsExactly("amy", "asked-amy");
    }

    @Test
    void aLineTypedWhenAPasswordPromptWasExpectedIsNeverSentAsChat() {
        LineHandler h = new LineHandler(submitted::add, events::add, false, (user, registering) -> null);
        h.accept("/chat bob");
        h.accept("/register amy");          // the prompt gave nothing (Ctrl-C, or the two entries differed)
        h.accept("hunter2");                // what a newcomer types next, thinking it is the password prompt
        h.accept("/login amy hunter2");     // refused: inline on a terminal
        h.accept("hunter2");
        assertThat(submitted).extracting(Command::spec).containsExactly(CommandSpec.CHAT);
        assertThat(events).extracting(e -> ((ConsoleEvents.Error) e).message()).filteredOn(m -> m.contains("not sent")).hasSize(2);
        h.accept("hello bob");              // the next line after that is chat again
        assertThat(submitted).extracting(Command::spec).containsExactly(CommandSpec.CHAT, CommandSpec.SAY);
    }

    @Test
    void theUsernamePromptAcceptsCommandsAndPlainNames() {
        LineHandler h = new LineHandler(submitted::add, events::add, false, (user, registering) -> "typed-" + user);
        assertThat(h.acceptUsername("/register bob")).isTrue();
        assertThat(submitted.get(0).spec()).isEqualTo(CommandSpec.REGISTER);
        assertThat(submitted.get(0).args()).containsExactly("bob", "typed-bob");
        assertThat(h.acceptUsername("  amy ")).isTrue();
        assertThat(submitted.get(1).spec()).isEqualTo(CommandSpec.LOGIN);
        assertThat(submitted.get(1).args()).containsExactly("amy", "typed-amy");
        assertThat(h.acceptUsername("")).isTrue();
        assertThat(h.acceptUsername("amy secret")).isTrue(); // a name has no spaces: never a login with a password
        assertThat(submitted).hasSize(2);
        assertThat(error(0).message()).contains("no spaces");
        assertThat(h.acceptUsername("/quit")).isFalse();
    }

    @Test
    void aPasswordFileServesScriptsThatDoNotInlineIt() {
        LineHandler h = new LineHandler(submitted::add, events::add, true, (user, registering) -> "from-file");
        h.accept("/register amy");
        assertThat(submitted.get(0).args()).containsExactly("amy", "from-file");
    }

    @Test
    void noPasswordAnywhereIsAClearError() {
        LineHandler h = new LineHandler(submitted::add, events::add, true, null);
        h.accept("/login amy");
        assertThat(submitted).isEmpty();
        assertThat(error(0).message()).contains("--password-file");
    }

    @Test
    void parseErrorsBecomeErrorEventsAndBlankLinesNothing() {
        LineHandler h = new LineHandler(submitted::add, events::add, true, null);
        h.accept("   ");
        h.accept("/nope");
        assertThat(submitted).isEmpty();
        assertThat(events).hasSize(1);
        assertThat(error(0).code()).isEqualTo("UNKNOWN_COMMAND");
    }

    private ConsoleEvents.Error error(int i) {
        return (ConsoleEvents.Error) events.get(i);
    }
}
