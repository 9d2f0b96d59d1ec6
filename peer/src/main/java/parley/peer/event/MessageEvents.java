package parley.peer.event;

import java.util.List;

/**
 * Message events: received, sent, delivered, queued, failed, and the conversation views.
 * One record per event of docs/peer-events.md; see {@link PeerEvent} for the contract.
 */
public sealed interface MessageEvents extends PeerEvent {
    /** One stored message in {@code history}; reason is null unless it failed. */
    record HistoryEntry(long id, String from, String text, long sentAt, String state, String reason) implements Part {
        public void fields(FieldWriter w) {
            w.num("id", id).str("from", from).str("text", text).num("sent_at", sentAt).str("state", state)
                    .str("reason", reason);
        }
    }

    /** A message arrived; id is the sender's. */
    record Message(String from, long id, String text, long sentAt) implements MessageEvents {
        public String type() {
            return "message";
        }

        public void fields(FieldWriter w) {
            w.str("from", from).num("id", id).str("text", text).num("sent_at", sentAt);
        }
    }

    /** Messages from {@code from} that arrived (and were stored) while the output was too far behind to show them. */
    record HeldBack(String from, long count) implements MessageEvents {
        public String type() {
            return "held_back";
        }

        public void fields(FieldWriter w) {
            w.str("from", from).num("count", count);
        }
    }

    /** You sent a message; it is on its way. */
    record Sending(long id, String to, String text) implements MessageEvents {
        public String type() {
            return "sending";
        }

        public void fields(FieldWriter w) {
            w.num("id", id).str("to", to).str("text", text);
        }
    }

    /** The peer acknowledged a message. */
    record Delivered(long id, String to) implements MessageEvents {
        public String type() {
            return "delivered";
        }

        public void fields(FieldWriter w) {
            w.num("id", id).str("to", to);
        }
    }

    /** The contact was offline or unreachable: the message is sealed in their mailbox in the registry. */
    record Queued(long id, String to) implements MessageEvents {
        public String type() {
            return "queued";
        }

        public void fields(FieldWriter w) {
            w.num("id", id).str("to", to);
        }
    }

    /** A message will not be delivered, and why. */
    record Failed(long id, String to, String reason) implements MessageEvents {
        public String type() {
            return "failed";
        }

        public void fields(FieldWriter w) {
            w.num("id", id).str("to", to).str("reason", reason);
        }
    }

    /** /chat switched the current partner. */
    record Chat(String user) implements MessageEvents {
        public String type() {
            return "chat";
        }

        public void fields(FieldWriter w) {
            w.str("user", user);
        }
    }

    /** The answer to /history, oldest first. */
    record History(String user, List<HistoryEntry> messages) implements MessageEvents {
        public History {
            messages = List.copyOf(messages);
        }

        public String type() {
            return "history";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).parts("messages", messages);
        }
    }
}
