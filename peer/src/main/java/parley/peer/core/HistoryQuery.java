package parley.peer.core;

import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.MessageEvents;
import parley.peer.output.EventSink;
import parley.peer.store.StoreWorker;
import parley.peer.store.StoredMessage;

import java.util.ArrayList;
import java.util.List;

/** {@code /history <user> [n]}: the last n messages with a user, read from the local store off the loop. */
final class HistoryQuery {
    private HistoryQuery() {
    }

    /** {@code me} is the logged-in user (null: not logged in); {@code count} the typed n, or null for 20. */
    static void run(StoreWorker storage, EventSink sink, String me, String user, String count) {
        int n = 20;
        if (count != null) {
            try {
                n = Integer.parseInt(count);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n <= 0 || n > 10_000) {
                sink.emit(new ConsoleEvents.Error(ClientErrors.USAGE, "usage: /history <user> [n], n from 1 to 10000"));
                return;
            }
        }
        if (me == null) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.NOT_LOGGED_IN, "you are not logged in: history is kept per account; /login first"));
            return;
        }
        int limit = n;
        storage.read(s -> s.history(user, limit), rows -> {
            List<MessageEvents.HistoryEntry> out = new ArrayList<>();
            for (StoredMessage m : rows) {
                out.add(new MessageEvents.HistoryEntry(m.id, m.outgoing ? me : user, m.text, m.sentAt, m.state, m.reason));
            }
            sink.emit(new MessageEvents.History(user, out));
        }, e -> sink.emit(new ConsoleEvents.Error(ClientErrors.STORAGE, "cannot read the local history: " + e.getMessage())));
    }
}
