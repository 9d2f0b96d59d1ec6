package parley.core.reliable;

import parley.core.loop.EventLoop;
import parley.core.loop.Timer;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * A seeded, repeatable bad network in front of the real socket, in the spirit of Aeron's
 * LossGenerator family: it drops, duplicates, reorders and delays datagrams at given rates. The
 * same seed and the same sends give the same faults. Delays and held datagrams are released by
 * loop timers, never by sleeping. For tests and benchmarks only: it copies what it holds back.
 */
public final class FaultInjector implements DatagramPath {
    /** Decides, for tests, to drop one particular datagram (counting from 1). */
    @FunctionalInterface
    public interface DropRule {
        boolean drop(long sequence, ByteBuffer datagram);
    }

    private static final long REORDER_HOLD_NANOS = 5_000_000;

    private final EventLoop loop;
    private final DatagramPath next;
    private final Random random;
    private final double loss;
    private final double duplicate;
    private final double reorder;
    private final double delay;
    private final long maxDelayNanos;
    private DropRule rule;
    private long sequence;
    private byte[] held;
    private InetSocketAddress heldTo;
    private final Timer releaseHeld;

    private long dropped;
    private long duplicated;
    private long reordered;
    private long delayed;

    public FaultInjector(EventLoop loop, DatagramPath next, long seed, double loss, double duplicate, double reorder,
                         double delay, long maxDelayNanos) {
        this.loop = loop;
        this.next = next;
        this.random = new Random(seed);
        this.loss = loss;
        this.duplicate = duplicate;
        this.reorder = reorder;
        this.delay = delay;
        this.maxDelayNanos = maxDelayNanos;
        this.releaseHeld = new Timer(now -> releaseHeld());
    }

    /** Loss, duplication and reordering only. */
    public FaultInjector(EventLoop loop, DatagramPath next, long seed, double loss, double duplicate, double reorder) {
        this(loop, next, seed, loss, duplicate, reorder, 0, 0);
    }

    public FaultInjector dropWhen(DropRule rule) {
        this.rule = rule;
        return this;
    }

    @Override
    public boolean send(ByteBuffer datagram, InetSocketAddress to) {
        sequence++;
        if (rule != null && rule.drop(sequence, datagram.duplicate())) {
            dropped++;
            datagram.position(datagram.limit());
            return true;
        }
        if (random.nextDouble() < loss) {
            dropped++;
            datagram.position(datagram.limit());
            return true;
        }
        boolean dup = random.nextDouble() < duplicate;
        if (random.nextDouble() < delay) {
            delayed++;
            byte[] copy = copy(datagram);
            long after = 1 + (long) (random.nextDouble() * maxDelayNanos);
            loop.schedule(new Timer(now -> next.send(ByteBuffer.wrap(copy), to)), loop.nanoTime() + after);
            return true;
        }
        if (held == null && random.nextDouble() < reorder) {
            // Hold this one back until the next datagram has gone (or briefly, if none comes).
            reordered++;
            held = copy(datagram);
            heldTo = to;
            loop.schedule(releaseHeld, loop.nanoTime() + REORDER_HOLD_NANOS);
            return true;
        }
        byte[] again = dup ? copy(datagram) : null;
        if (!next.send(datagram, to)) {
            return false;
        }
        if (again != null) {
            duplicated++;
            next.send(ByteBuffer.wrap(again), to);
        }
        releaseHeld();
        return true;
    }

    private void releaseHeld() {
        if (held != null) {
            byte[] h = held;
            held = null;
            loop.cancel(releaseHeld);
            next.send(ByteBuffer.wrap(h), heldTo);
        }
    }

    private static byte[] copy(ByteBuffer d) {
        byte[] b = new byte[d.remaining()];
        d.get(b);
        return b;
    }

    public long dropped() {
        return dropped;
    }

    public long duplicated() {
        return duplicated;
    }

    public long reordered() {
        return reordered;
    }

    public long delayed() {
        return delayed;
    }
}
