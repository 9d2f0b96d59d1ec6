package parley.peer.script;

import parley.peer.command.CommandSpec;

import java.util.Set;

/**
 * Which events answer which command, so script mode can wait for a command to finish before it
 * reads the next line. Every command ends in one of these or in an {@code error} event; the first
 * one seen after the command was handed over finishes it.
 */
final class CommandReplies {
    static final String ERROR = "error";

    private CommandReplies() {
    }

    static Set<String> of(CommandSpec spec) {
        switch (spec) {
            case REGISTER: return Set.of("registered");
            case LOGIN: return Set.of("logged_in");
            case LOGOUT: return Set.of("logged_out");
            case WHO: return Set.of("who");
            case VISIBILITY: return Set.of("visibility");
            case CONTACTS: return Set.of("contacts");
            case ADD:
            case REMOVE:
            case BLOCK:
            case UNBLOCK: return Set.of("contact");
            // A chat request is answered by the session opening (or an info line when declined),
            // a contact request by the registry's confirmation.
            case ACCEPT: return Set.of("contact", "session_open");
            case DECLINE: return Set.of("contact", "info");
            case CHAT: return Set.of("chat");
            case MSG:
            case SAY: return Set.of("sending");
            case HISTORY: return Set.of("history");
            case VERIFY: return Set.of("verify");
            case STATS: return Set.of("stats");
            case HELP: return Set.of("help");
            case QUIT: return Set.of("bye");
            default: throw new IllegalArgumentException("no replies known for " + spec);
        }
    }
}
