package parley.peer.event;

import java.util.List;

/** The /stats table: one row per peer session, fixed-width columns. */
final class StatsTable {
    private static final String FORMAT = "%-12s %8s %8s %8s %7s %6s %10s %10s";

    private StatsTable() {
    }

    static String render(Event e) {
        List<?> rows = (List<?>) e.get("sessions");
        StringBuilder sb = new StringBuilder();
        if (e.get("user") != null) {
            sb.append("* stats for ").append(e.get("user")).append('\n');
        }
        sb.append(String.format(FORMAT, "session", "p50 ms", "p99 ms", "max ms", "retrans", "loss", "sent B", "recv B"));
        if (rows == null || rows.isEmpty()) {
            return sb.append("\n  (no peer sessions)").toString();
        }
        for (Object o : rows) {
            Event.Fields f = (Event.Fields) o;
            sb.append('\n').append(String.format(FORMAT, f.get("user"), ms(f.get("rtt_p50_us")), ms(f.get("rtt_p99_us")),
                    ms(f.get("rtt_max_us")), f.get("retransmissions"),
                    String.format("%.1f%%", ((Number) f.get("loss")).doubleValue() * 100), f.get("bytes_sent"),
                    f.get("bytes_received")));
        }
        return sb.toString();
    }

    private static String ms(Object micros) {
        return micros == null ? "-" : String.format("%.2f", ((Number) micros).longValue() / 1000.0);
    }
}
