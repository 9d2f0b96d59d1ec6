package parley.peer.event;

import parley.peer.event.FileEvents.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The terminal sentences of {@link FileEvents}, kept out of {@link TextFormat}'s chain. Raw lines
 * only: {@link TextFormat#format} passes each through {@link TerminalSafe}, so a file name from the
 * network is shown escaped whatever it holds.
 */
final class FileText {
    private FileText() {
    }

    static List<String> lines(FileEvents e) {
        if (e instanceof Files f) {
            List<String> out = new ArrayList<>();
            if (f.transfers().isEmpty()) {
                out.add("* no file transfers");
                return out;
            }
            out.add("* file transfers:");
            for (FileRow row : f.transfers()) {
                out.add("    " + row.transfer() + "  " + (row.direction().equals("in") ? "from " : "to ") + row.user() + "  "
                        + row.name() + "  " + row.state() + " " + percent(row.bytes(), row.size()) + " of " + bytes(row.size()));
            }
            return out;
        }
        return List.of(line(e));
    }

    private static String line(FileEvents e) {
        if (e instanceof FileOffer o) {
            return "? " + o.from() + " offers the file " + o.name() + " (" + bytes(o.size()) + ", sha256 " + o.sha256()
                    + "): /accept file " + o.transfer() + " or /decline file " + o.transfer();
        } else if (e instanceof Transfer t) {
            return "* file " + t.transfer() + (t.direction().equals("in") ? " from " : " to ") + t.user() + ": " + t.state()
                    + " " + percent(t.bytes(), t.size()) + " of " + bytes(t.size()) + progress(t);
        } else if (e instanceof FileReceived r) {
            return "* received " + r.path() + " from " + r.from() + " (" + bytes(r.size()) + ", sha256 " + r.sha256() + " verified)";
        }
        throw new IllegalArgumentException("no sentence for " + e.type());
    }

    /** Rate and ETA while bytes move; nothing once the transfer stands still. */
    private static String progress(Transfer t) {
        if (t.rateBps() <= 0 || !t.state().equals("active")) {
            return "";
        }
        long left = Math.max(0, t.size() - t.bytes());
        long etaSeconds = left * 8 / t.rateBps();
        return String.format(Locale.ROOT, ", %.1f Mbit/s, %d:%02d left", t.rateBps() / 1e6, etaSeconds / 60, etaSeconds % 60);
    }

    static String percent(long bytes, long size) {
        return size <= 0 ? "100%" : (bytes * 100 / size) + "%";
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        return n < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KiB", n / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024.0));
    }
}
