package parley.core.reliable;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Two sessions joined by an in-memory link on synthetic time: no sockets, no crypto, no threads.
 * Packets sent are queued with a delivery time; {@link #run} advances the clock, delivers and
 * fires timers in time order, so every scenario is exact and repeatable.
 */
final class SyntheticLink {
    final class End implements ReliableSession.Output {
        final String name;
        final ByteBuffer buffer = ByteBuffer.allocate(1200);
        final Recorder recorder = new Recorder();
        ReliableSession session;
        End other;
        LongPredicate dropIf = pn -> false;
        final List<Long> sent = new ArrayList<>();

        End(String name) {
            this.name = name;
        }

        @Override
        public ByteBuffer packetBuffer() {
            buffer.clear().limit(1200 - PeerPacket.OVERHEAD);
            return buffer;
        }

        @Override
        public boolean transmit(ByteBuffer frames, long pn, boolean carriesData) {
            sent.add(pn);
            byte[] copy = new byte[frames.position()];
            frames.flip();
            frames.get(copy);
            if (!dropIf.test(pn)) {
                inFlight.add(new Packet(now + oneWayNanos, other, pn, copy));
            }
            return true;
        }
    }

    static final class Packet {
        final long at;
        final End to;
        final long pn;
        final byte[] frames;

        Packet(long at, End to, long pn, byte[] frames) {
            this.at = at;
            this.to = to;
            this.pn = pn;
            this.frames = frames;
        }
    }

    final ArrayDeque<Packet> inFlight = new ArrayDeque<>();
    final End a = new End("a");
    final End b = new End("b");
    long now = 1_000_000_000L;
    long oneWayNanos;

    SyntheticLink(ReliableConfig config, long oneWayNanos) {
        this.oneWayNanos = oneWayNanos;
        a.other = b;
        b.other = a;
        a.session = new ReliableSession(config, a, a.recorder, now);
        b.session = new ReliableSession(config, b, b.recorder, now);
    }

    /** Runs until {@code until} or until nothing is left to do. */
    void run(long until) {
        while (now < until) {
            long nextPacket = inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peekFirst().at;
            long nextTimer = Math.min(a.session.nextDeadline(), b.session.nextDeadline());
            long next = Math.min(nextPacket, nextTimer);
            if (next > until) {
                now = until;
                return;
            }
            now = Math.max(now, next);
            if (nextPacket <= nextTimer) {
                Packet p = inFlight.pollFirst();
                p.to.session.onPacket(p.pn, ByteBuffer.wrap(p.frames), now);
                p.to.session.flush(now);
            } else if (a.session.nextDeadline() <= now) {
                a.session.onTimer(now);
            } else {
                b.session.onTimer(now);
            }
        }
    }

    void flushBoth() {
        a.session.flush(now);
        b.session.flush(now);
    }
}
