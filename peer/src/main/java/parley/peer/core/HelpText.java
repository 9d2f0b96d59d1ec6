package parley.peer.core;

import parley.peer.command.CommandSpec;
import parley.peer.event.ConsoleEvents;

import java.util.ArrayList;
import java.util.List;

/** The answer to {@code /help}: one line per command, from {@link CommandSpec}'s table. */
final class HelpText {
    private HelpText() {
    }

    static ConsoleEvents.Help of() {
        List<String> lines = new ArrayList<>();
        for (CommandSpec s : CommandSpec.typed()) {
            lines.add(String.format("  %-34s %s", s.usage(), s.help()));
        }
        lines.add("  plain text goes to your /chat partner; start it with // to send a leading slash");
        return new ConsoleEvents.Help(lines);
    }
}
