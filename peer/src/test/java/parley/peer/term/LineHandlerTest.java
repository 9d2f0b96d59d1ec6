package parley.peer.term;

import org.junit.jupiter.api.Test;
import parley.peer.command.Command;
import parley.peer.command.CommandSpec;
import parley.peer.event.Event;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineHandlerTest {
    private final List<Command> submitted = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();

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
        assertThat(events.get(0).string("message")).contains("history");
        h.accept("/login amy");
        assertThat(submitted.get(0).args()).containsExactly("amy", "asked-amy");
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
        assertThat(events.get(0).string("message")).contains("--password-file");
    }

    @Test
    void parseErrorsBecomeErrorEventsAndBlankLinesNothing() {
        LineHandler h = new LineHandler(submitted::add, events::add, true, null);
        h.accept("   ");
        h.accept("/nope");
        assertThat(submitted).isEmpty();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("code")).isEqualTo("UNKNOWN_COMMAND");
    }
}
