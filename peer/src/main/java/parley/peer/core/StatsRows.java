package parley.peer.core;

import parley.peer.event.SessionEvents;
import parley.peer.net.PeerTransport;
import parley.peer.net.SessionStats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** {@code /stats}: one row per open session, from the transport's counters, sorted by user. */
final class StatsRows {
    private StatsRows() {
    }

    static SessionEvents.Stats of(String self, Collection<Conversation> conversations, PeerTransport transport) {
        List<SessionEvents.SessionRow> rows = new ArrayList<>();
        for (Conversation c : conversations) {
            if (c.state != Conversation.State.OPEN) {
                continue;
            }
            SessionStats s = transport.stats(c.localId);
            if (s == null) {
                continue;
            }
            rows.add(new SessionEvents.SessionRow(c.user, s.rttP50Micros, s.rttP99Micros, s.rttMaxMicros, s.retransmissions,
                    s.lossEstimate, s.bytesSent, s.bytesReceived, s.path == null ? null : s.path.kind().wireName()));
        }
        rows.sort((a, b) -> a.user().compareToIgnoreCase(b.user()));
        return new SessionEvents.Stats(self, rows);
    }
}
