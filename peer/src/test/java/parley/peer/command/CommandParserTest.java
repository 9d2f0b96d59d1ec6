package parley.peer.command;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandParserTest {
    @Test
    void plainTextIsSaidToTheCurrentPartner() {
        CommandParser.Result r = CommandParser.parse("  hello there  ");
        assertThat(r.ok()).isTrue();
        assertThat(r.command().spec()).isEqualTo(CommandSpec.SAY);
        assertThat(r.command().args()).containsExactly("hello there");
    }

    @Test
    void doubleSlashEscapesALeadingSlash() {
        CommandParser.Result r = CommandParser.parse("//shrug");
        assertThat(r.command().spec()).isEqualTo(CommandSpec.SAY);
        assertThat(r.command().arg(0)).isEqualTo("/shrug");
    }

    @Test
    void msgKeepsTheRestOfTheLineAsText() {
        CommandParser.Result r = CommandParser.parse("/msg bob  hi   there ");
        assertThat(r.command().spec()).isEqualTo(CommandSpec.MSG);
        assertThat(r.command().args()).containsExactly("bob", "hi   there");
    }

    @Test
    void commandNamesAreCaseInsensitive() {
        assertThat(CommandParser.parse("/WHO").command().spec()).isEqualTo(CommandSpec.WHO);
    }

    @Test
    void unknownCommandSaysWhatToDo() {
        CommandParser.Result r = CommandParser.parse("/dance now");
        assertThat(r.ok()).isFalse();
        assertThat(r.errorCode()).isEqualTo(CommandParser.UNKNOWN_COMMAND);
        assertThat(r.error()).contains("/dance").contains("/help");
    }

    @Test
    void wrongArgumentCountShowsUsage() {
        CommandParser.Result r = CommandParser.parse("/add");
        assertThat(r.errorCode()).isEqualTo(CommandParser.USAGE);
        assertThat(r.error()).contains("/add <user>");
        assertThat(CommandParser.parse("/add a b").errorCode()).isEqualTo(CommandParser.USAGE);
        assertThat(CommandParser.parse("/history bob 5").command().args()).containsExactly("bob", "5");
    }

    @Test
    void blankLinesAreNothing() {
        assertThat(CommandParser.parse("   ").empty()).isTrue();
        assertThat(CommandParser.parse(null).empty()).isTrue();
    }

    @Test
    void everyTypedCommandHasHelp() {
        for (CommandSpec s : CommandSpec.typed()) {
            assertThat(s.help()).isNotEmpty();
            assertThat(CommandSpec.byName(s.word())).isEqualTo(s);
        }
    }
}
