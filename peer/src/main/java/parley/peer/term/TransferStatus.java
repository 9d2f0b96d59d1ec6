package parley.peer.term;

import parley.peer.event.FileEvents;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The file-transfer part of the status line (issue 15): a progress bar with percent, rate and ETA
 * of the transfer that moved last, and how many others are active. Built only from the
 * {@code transfer} events the user sees; shows no names, so nothing from the network reaches the
 * status line through it. Output thread only.
 */
final class TransferStatus {
    static final int BAR = 10;
    private static final String ACTIVE = "active";
    private static final String RESUMED = "resumed";
    private final Map<String, FileEvents.Transfer> active = new LinkedHashMap<>();

    void apply(FileEvents.Transfer t) {
        active.remove(t.transfer()); // re-inserted last: the one shown is the one that moved last
        if (ACTIVE.equals(t.state()) || RESUMED.equals(t.state())) {
            active.put(t.transfer(), t);
        }
    }

    /** Empty when no transfer is active; otherwise " | file: [#####-----] 50% 8.0 Mbit/s 0:12 left (+1)". */
    String render() {
        FileEvents.Transfer t = null;
        for (FileEvents.Transfer each : active.values()) {
            t = each;
        }
        if (t == null) {
            return "";
        }
        int percent = t.size() <= 0 ? 100 : (int) (t.bytes() * 100 / t.size());
        int filled = percent * BAR / 100;
        StringBuilder sb = new StringBuilder(" | file ").append(t.direction().equals("in") ? "in" : "out").append(": [");
        for (int i = 0; i < BAR; i++) {
            sb.append(i < filled ? '#' : '-');
        }
        sb.append("] ").append(percent).append('%');
        if (t.rateBps() > 0) {
            long etaSeconds = Math.max(0, t.size() - t.bytes()) * 8 / t.rateBps();
            sb.append(String.format(Locale.ROOT, " %.1f Mbit/s %d:%02d left", t.rateBps() / 1e6, etaSeconds / 60, etaSeconds % 60));
        }
        if (active.size() > 1) {
            sb.append(" (+").append(active.size() - 1).append(')');
        }
        return sb.toString();
    }
}
