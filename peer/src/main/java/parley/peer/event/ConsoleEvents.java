package parley.peer.event;

import java.util.List;

/**
 * Console events: help, information and errors.
 * One record per event of docs/peer-events.md; see {@link PeerEvent} for the contract.
 */
public sealed interface ConsoleEvents extends PeerEvent {
    /** The answer to /help: one line per command. */
    record Help(List<String> commands) implements ConsoleEvents {
        public Help {
            commands = List.copyOf(commands);
        }

        public String type() {
            return "help";
        }

        public void fields(FieldWriter w) {
            w.strs("commands", commands);
        }
    }

    /** Something worth saying that has no event of its own. */
    record Info(String message) implements ConsoleEvents {
        public String type() {
            return "info";
        }

        public void fields(FieldWriter w) {
            w.str("message", message);
        }
    }

    /** A command (or something the registry sent) failed: message says what went wrong and what to do. */
    record Error(String code, String message) implements ConsoleEvents {
        public String type() {
            return "error";
        }

        public void fields(FieldWriter w) {
            w.str("code", code).str("message", message);
        }
    }
}
