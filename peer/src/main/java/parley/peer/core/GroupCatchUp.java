package parley.peer.core;

import parley.peer.event.GroupEvents;
import parley.peer.output.EventSink;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Group messages read from the mailbox, shown together once their page of the mailbox is read
 * and stored (before the page waits on its receipts, which may pause the drain), in the order
 * every member displays (Lamport time, then sender; as
 * {@code GroupTimeline}). The mailbox holds them in deposit order, and deposits by different
 * senders land in whatever order their sealing finished, so a member catching up would otherwise
 * see them shuffled (and marked late) although they are all old news. Loop thread only.
 */
final class GroupCatchUp {
    private record Held(long lamport, String sender, GroupEvents.GroupMessage event) {
    }

    private static final Comparator<Held> DISPLAY_ORDER =
            Comparator.comparingLong(Held::lamport).thenComparing(Held::sender);

    private final List<Held> held = new ArrayList<>();

    void hold(long lamport, String sender, GroupEvents.GroupMessage event) {
        held.add(new Held(lamport, sender, event));
    }

    /** Emits what was held, in display order, and forgets it. */
    void flush(EventSink sink) {
        held.sort(DISPLAY_ORDER);
        for (Held h : held) {
            sink.emit(h.event);
        }
        held.clear();
    }
}
