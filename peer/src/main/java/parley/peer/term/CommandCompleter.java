package parley.peer.term;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import parley.peer.command.CommandSpec;

import java.util.List;

/** Tab completion: command names first, then usernames you know or visibility levels. */
public final class CommandCompleter implements Completer {
    private final KnownUsers users;

    public CommandCompleter(KnownUsers users) {
        this.users = users;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        if (words.isEmpty() || !words.get(0).startsWith("/")) {
            return;
        }
        if (line.wordIndex() == 0) {
            for (CommandSpec s : CommandSpec.typed()) {
                candidates.add(new Candidate("/" + s.word(), "/" + s.word(), null, s.help(), null, null, true));
            }
            return;
        }
        if (line.wordIndex() != 1) {
            return;
        }
        CommandSpec spec = CommandSpec.byName(words.get(0).substring(1).toLowerCase(java.util.Locale.ROOT));
        if (spec == null) {
            return;
        }
        if (spec.firstArg() == CommandSpec.Arg.USER) {
            for (String u : users.snapshot()) {
                candidates.add(new Candidate(u));
            }
        } else if (spec.firstArg() == CommandSpec.Arg.VISIBILITY) {
            for (String v : CommandSpec.VISIBILITY_LEVELS) {
                candidates.add(new Candidate(v));
            }
        }
    }
}
