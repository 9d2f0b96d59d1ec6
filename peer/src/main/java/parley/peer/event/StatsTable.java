package parley.peer.event;

import java.util.ArrayList;
import java.util.List;

/** The /stats table: one row per peer session, fixed-width columns. Raw lines: {@link TextFormat} escapes them. */
final class StatsTable {
    private static final String FORMAT = "%-12s %-7s %8s %8s %8s %7s %6s %10s %10s";

    private StatsTable() {
    }

    static List<String> render(SessionEvents.Stats e) {
        List<String> out = new ArrayList<>();
        if (e.user() != null) {
            out.add("* stats for " + e.user());
        }
        out.add(String.format(FORMAT, "session", "path", "p50 ms", "p99 ms", "max ms", "retrans", "loss", "sent B", "recv B"));
        if (e.sessions().isEmpty()) {
            out.add("  (no peer sessions)");
            return out;
        }
        for (SessionEvents.SessionRow r : e.sessions()) {
            out.add(String.format(FORMAT, r.user(), r.path() == null ? "-" : r.path(), ms(r.rttP50Micros()), ms(r.rttP99Micros()), ms(r.rttMaxMicros()),
                    r.retransmissions(), String.format("%.1f%%", r.loss() * 100), r.bytesSent(), r.bytesReceived()));
        }
        return out;
    }

    private static String ms(long micros) {
        return micros < 0 ? "-" : String.format("%.2f", micros / 1000.0);
    }
}
