package parley.peer.group;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * One group's history as this member holds it (PROTOCOL.md 9.3.2): every message once, in the
 * order every member displays, by Lamport time then sender name. It also keeps this member's
 * Lamport clock and, per sender, which sequences it has, so that a repeat (the same message by
 * session and by mailbox, or fetched twice) is dropped, a message placed before one already shown
 * is reported late, and a hole in a sender's sequence is reported as a gap to fetch or to show.
 * Pure state: no clock, no I/O; the peer's loop owns it.
 */
public final class GroupTimeline {
    /** A message as placed: its position key, who sent it, its sequence and text, whether it came late, its id and sent-at. */
    public record Entry(long lamport, String sender, long sequence, String text, boolean late, long id, long sentAt) {
    }

    /** What {@link #receive} did with a message. */
    public enum Placed { IN_ORDER, LATE, DUPLICATE }

    /** Order key: Lamport time, then sender name (byte order of the lower-cased name). */
    private record Key(long lamport, String sender) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(lamport, o.lamport);
            return c != 0 ? c : sender.compareTo(o.sender);
        }
    }

    private final TreeMap<Key, Entry> ordered = new TreeMap<>();
    private final Map<String, TreeSet<Long>> seen = new HashMap<>();
    private final Map<String, Long> contiguous = new HashMap<>();
    private long clock;
    private long sent;

    /** The Lamport time and sequence of this member's next message; counts it as received at once. */
    public long[] nextSend() {
        clock++;
        sent++;
        return new long[] {clock, sent};
    }

    /** This member's Lamport clock. */
    public long clock() {
        return clock;
    }

    /** Restores the counters after a restart: the highest Lamport time held and the last own sequence sent. */
    public void restore(long lamport, long ownSequence) {
        clock = Math.max(clock, lamport);
        sent = Math.max(sent, ownSequence);
    }

    /**
     * Places a message from {@code sender} (lower-cased name). A repeat of a (sender, sequence)
     * already held is DUPLICATE and changes nothing; a message whose position is before the last
     * one held is LATE (placed where it belongs, marked late); otherwise IN_ORDER.
     */
    public Placed receive(String sender, long sequence, long lamport, String text) {
        return receive(sender, sequence, lamport, text, 0, 0);
    }

    /** As above, keeping the sender's message id and sent-at for the history. */
    public Placed receive(String sender, long sequence, long lamport, String text, long id, long sentAt) {
        TreeSet<Long> mine = seen.computeIfAbsent(sender, s -> new TreeSet<>());
        if (!mine.add(sequence)) {
            return Placed.DUPLICATE;
        }
        long upTo = contiguous.getOrDefault(sender, 0L);
        while (mine.contains(upTo + 1)) {
            upTo++;
        }
        contiguous.put(sender, upTo);
        clock = Math.max(clock, lamport);
        Key k = new Key(lamport, sender);
        boolean late = !ordered.isEmpty() && k.compareTo(ordered.lastKey()) < 0;
        ordered.put(k, new Entry(lamport, sender, sequence, text, late, id, sentAt));
        return late ? Placed.LATE : Placed.IN_ORDER;
    }

    /**
     * The sequences of {@code sender} missing below the highest one held: what to fetch from the
     * mailbox, or report as lost once the mailbox has none.
     */
    public List<Long> gaps(String sender) {
        TreeSet<Long> mine = seen.get(sender);
        if (mine == null || mine.isEmpty()) {
            return List.of();
        }
        List<Long> out = new ArrayList<>();
        for (long s = contiguous.getOrDefault(sender, 0L) + 1; s < mine.last(); s++) {
            if (!mine.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Senders with at least one gap. */
    public Set<String> sendersWithGaps() {
        Set<String> out = new TreeSet<>();
        for (String s : seen.keySet()) {
            if (!gaps(s).isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Every message in display order. */
    public List<Entry> history() {
        return Collections.unmodifiableList(new ArrayList<>(ordered.values()));
    }

    /** The history without the messages of senders {@code hidden} matches (blocked users), and how many it left out. */
    public View view(Predicate<String> hidden) {
        List<Entry> shown = new ArrayList<>();
        int count = 0;
        for (Entry e : ordered.values()) {
            if (hidden.test(e.sender())) {
                count++;
            } else {
                shown.add(e);
            }
        }
        return new View(shown, count);
    }

    /** What a member sees: the messages shown, and how many of a blocked user's were hidden. */
    public record View(List<Entry> shown, int hidden) {
    }

    public int size() {
        return ordered.size();
    }
}
