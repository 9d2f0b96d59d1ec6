package parley.core.reliable;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Hole punching for one session (PROTOCOL.md 7.8 and 9.6), as pure logic on time passed in, in
 * the style of {@link LossDetector}: which remote candidate gets the next PATH_CHALLENGE and when,
 * and whether a PATH_RESPONSE validates one. Each target gets a challenge every
 * {@link #INTERVAL_NANOS} for {@link #DURATION_NANOS}; the sends are spread evenly over the
 * interval (one at a time, never a burst), so punching to 8 candidates costs 40 small datagrams a
 * second. Both sides punch at once, so each side's first challenges open its own NAT's mapping
 * and the later ones get through the other's.
 *
 * <p>Each target's 8 challenge bytes are drawn once per round and repeated on its retries: a late
 * response to an earlier try then still validates. They are unpredictable to anyone off the path.
 */
public final class PathProber {
    /** Time between two challenges to the same target. */
    public static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** How long a round of punching lasts. */
    public static final long DURATION_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Targets in one round at most: the candidate lists (8 each) plus observed and announced endpoints. */
    public static final int MAX_TARGETS = 16;

    private final LongSupplier random;
    private final List<InetSocketAddress> targets = new ArrayList<>();
    private long[] challenges = new long[MAX_TARGETS];
    private int cursor;
    private long nextSendAt = Long.MAX_VALUE;
    private long endsAt;
    private long sent;
    private int rounds;

    /** {@code random} gives each target's 8 challenge bytes (a SecureRandom in production). */
    public PathProber(LongSupplier random) {
        this.random = random;
    }

    /**
     * Starts a round over {@code addresses} (duplicates and nulls skipped, at most {@link #MAX_TARGETS});
     * a round already running is replaced. Nothing to punch at: nothing starts.
     */
    public void start(List<InetSocketAddress> addresses, long now) {
        targets.clear();
        for (InetSocketAddress a : addresses) {
            if (a != null && !targets.contains(a) && targets.size() < MAX_TARGETS) {
                challenges[targets.size()] = random.getAsLong();
                targets.add(a);
            }
        }
        cursor = 0;
        if (targets.isEmpty()) {
            stop();
            return;
        }
        rounds++;
        nextSendAt = now;
        endsAt = now + DURATION_NANOS;
    }

    /** Ends the round: a path validated, or the session is gone. */
    public void stop() {
        nextSendAt = Long.MAX_VALUE;
    }

    public boolean running() {
        return nextSendAt != Long.MAX_VALUE;
    }

    /** When {@link #due} next has a challenge to send; {@code Long.MAX_VALUE} when not punching. */
    public long nextDeadline() {
        return nextSendAt;
    }

    /**
     * The index of the target whose challenge is due at {@code now} (send it, then call again), or
     * -1 if none is. The round ends here once its time is up.
     */
    public int due(long now) {
        if (nextSendAt > now) {
            return -1;
        }
        if (now - endsAt >= 0) {
            stop();
            return -1;
        }
        int i = cursor;
        cursor = (cursor + 1) % targets.size();
        long step = Math.max(1, INTERVAL_NANOS / targets.size());
        nextSendAt += step;
        if (nextSendAt <= now) {
            nextSendAt = now + step; // late (a busy loop): skip the missed slots rather than burst
        }
        sent++;
        return i;
    }

    public InetSocketAddress target(int i) {
        return targets.get(i);
    }

    public long challenge(int i) {
        return challenges[i];
    }

    /** True if {@code data} is this round's challenge to {@code from}: the direct path there works. */
    public boolean validates(InetSocketAddress from, long data) {
        int i = targets.indexOf(from);
        return i >= 0 && challenges[i] == data;
    }

    /** Challenges sent, over every round. */
    public long challengesSent() {
        return sent;
    }

    /** Rounds started. */
    public int rounds() {
        return rounds;
    }
}
