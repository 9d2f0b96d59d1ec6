package parley.peer.core;

import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.MessageEvents;
import parley.peer.output.EventSink;
import parley.peer.store.StoreWorker;
import parley.peer.store.StoredMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /history <user> [n]} from the local store, and {@code /history #group [n]} from the
 * group's timeline: one count rule for both. Kept out of PeerCore, which is full.
 */
final class Histories {
    private final StoreWorker storage;
    private final EventSink sink;
    private final Supplier<String> self;
    private final GroupCommands groups;

    Histories(StoreWorker storage, EventSink sink, Supplier<String> self, GroupCommands groups) {
        this.storage = storage;
        this.sink = sink;
        this.self = self;
        this.groups = groups;
    }

    void show(String user, String count) {
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
        if (self.get() == null) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.NOT_LOGGED_IN, "you are not logged in: history is kept per account; /login first"));
            return;
        }
        if (GroupCommands.isGroup(user)) {
            groups.history(user, n);
            return;
        }
        int limit = n;
        String me = self.get();
        storage.read(s -> s.history(user, limit), rows -> {
            List<MessageEvents.HistoryEntry> out = new ArrayList<>();
            for (StoredMessage m : rows) {
                out.add(new MessageEvents.HistoryEntry(m.id, m.outgoing ? me : user, m.text, m.sentAt, m.state, m.reason));
            }
            sink.emit(new MessageEvents.History(user, out));
        }, e -> sink.emit(new ConsoleEvents.Error(ClientErrors.STORAGE, "cannot read the local history: " + e.getMessage())));
    }
}
