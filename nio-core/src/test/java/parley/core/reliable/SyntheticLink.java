package parley.core.reliable;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.LongPredicate;

/**
 * Two sessions joined by an in-memory link on synthetic time: no sockets, no crypto, no threads.
 * Packets sent are queued with a delivery time; {@link #run} advances the clock, delivers and
 * fires timers in time order, so every scenario is exact and repeatable. Optionally each
 * direction has a bottleneck: a rate, and a drop-tail queue in front of it (in packets, or in
 * bytes as the lab's tbf; {@link #tbf} limits only a to b, as the lab does). Optionally b stalls
 * as the lab's receiving JVM does on a loaded host ({@link #receiverStalls}): for a while now and
 * then it neither reads nor runs timers, then takes what arrived meanwhile all at once, so its
 * acks leave bunched. Optionally TCP CUBIC flows share a's bottleneck ({@link #competitor}), as
 * the lab's TCP streams do.
 */
final class SyntheticLink {
    final class End implements PacketOutput {
        final String name;
        final ByteBuffer buffer = ByteBuffer.allocate(1200);
        final Recorder recorder = new Recorder();
        ReliableSession session;
        End other;
        LongPredicate dropIf = pn -> false;
        final List<Long> sent = new ArrayList<>();
        long queueDrops;
        /** How long each data packet waited in the bottleneck queue, in nanoseconds. */
        final List<Long> queueDelays = new ArrayList<>();
        private long linkFreeAt;

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
            if (dropIf.test(pn)) {
                return true;
            }
            long departs = now;
            if (bytesPerSecond > 0 && (this == a || !forwardOnly)) {
                departs = enqueue(copy.length + PeerPacket.OVERHEAD, carriesData);
                if (departs < 0) {
                    return true;
                }
            }
            inFlight.add(new Packet(departs + oneWayNanos, other, pn, copy, order++));
            return true;
        }

        /** When the bottleneck is free again (the queue drained). */
        long linkFreeAt() {
            return linkFreeAt;
        }

        /**
         * Puts {@code size} bytes in this end's bottleneck queue at {@code now}: when they leave the
         * link, or -1 if the drop-tail queue is full. The competitor's packets share it too.
         */
        long enqueue(long size, boolean carriesData) {
            long serialization = size * 1_000_000_000L / bytesPerSecond;
            long start = Math.max(now, linkFreeAt);
            long queued = (start - now) * bytesPerSecond / 1_000_000_000L; // bytes waiting ahead of this one
            if ((start - now) / serialization >= queuePackets || queued + size > queueBytes) {
                queueDrops++;
                return -1;
            }
            if (carriesData) {
                queueDelays.add(start - now);
            }
            linkFreeAt = start + serialization;
            return linkFreeAt;
        }
    }

    static final class Packet {
        final long at;
        final End to;
        final long pn;
        final byte[] frames;
        final long order;

        Packet(long at, End to, long pn, byte[] frames, long order) {
            this.at = at;
            this.to = to;
            this.pn = pn;
            this.frames = frames;
            this.order = order;
        }
    }

    final PriorityQueue<Packet> inFlight =
            new PriorityQueue<>(Comparator.<Packet>comparingLong(p -> p.at).thenComparingLong(p -> p.order));
    long order;
    long bytesPerSecond;
    long queuePackets = Long.MAX_VALUE;
    long queueBytes = Long.MAX_VALUE;
    /** The bottleneck limits only a to b, as the lab's tbf limits only R's link to B. */
    boolean forwardOnly;
    final End a = new End("a");
    final End b = new End("b");
    long now = 1_000_000_000L;
    long oneWayNanos;
    long stallPeriod;
    long stallLength;
    /** TCP CUBIC flows sharing a's bottleneck queue ({@link #competitor}); none by default. */
    final List<TcpCompetitor> competitors = new ArrayList<>();

    /** Adds a TCP CUBIC flow through a's bottleneck, as the lab's competing TCP stream; it starts now. */
    TcpCompetitor competitor() {
        TcpCompetitor tcp = new TcpCompetitor(this);
        competitors.add(tcp);
        tcp.start();
        return tcp;
    }

    /**
     * b is descheduled for {@code length} out of every {@code period} (as a JVM on a busy host):
     * datagrams wait for it in its socket, its timers wait, and at the stall's end it reads them
     * all in one go and its acks leave together.
     */
    SyntheticLink receiverStalls(long period, long length) {
        this.stallPeriod = period;
        this.stallLength = length;
        return this;
    }

    /** When b runs again if it is stalled at {@code t}, otherwise {@code t}. */
    private long bRunsAt(long t) {
        if (stallPeriod == 0 || t == Long.MAX_VALUE) {
            return t;
        }
        long into = Math.floorMod(t, stallPeriod);
        return into < stallLength ? t - into + stallLength : t;
    }

    /** Puts a bottleneck of {@code bytesPerSecond} behind a queue of {@code queuePackets} on both directions. */
    SyntheticLink bottleneck(long bytesPerSecond, long queuePackets) {
        this.bytesPerSecond = bytesPerSecond;
        this.queuePackets = queuePackets;
        return this;
    }

    /**
     * The kernel lab's bottleneck (tools/lab/bottleneck.sh): a tbf on a to b only, whose queue
     * holds {@code bufferNanos} worth of the rate in bytes, dropping at the tail past that.
     */
    SyntheticLink tbf(long bytesPerSecond, long bufferNanos) {
        this.bytesPerSecond = bytesPerSecond;
        this.queueBytes = bytesPerSecond * bufferNanos / 1_000_000_000L;
        this.forwardOnly = true;
        return this;
    }

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
            long nextPacket = inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peek().at;
            if (nextPacket != Long.MAX_VALUE && inFlight.peek().to == b && bRunsAt(nextPacket) != nextPacket) {
                Packet held = inFlight.poll(); // waits in b's socket until b runs
                inFlight.add(new Packet(bRunsAt(held.at), b, held.pn, held.frames, held.order));
                continue;
            }
            long bDeadline = bRunsAt(b.session.nextDeadline());
            long nextTimer = Math.min(a.session.nextDeadline(), bDeadline);
            TcpCompetitor tcp = null;
            for (TcpCompetitor c : competitors) {
                if (tcp == null || c.nextEvent() < tcp.nextEvent()) {
                    tcp = c;
                }
            }
            long nextTcp = tcp == null ? Long.MAX_VALUE : tcp.nextEvent();
            long next = Math.min(Math.min(nextPacket, nextTimer), nextTcp);
            if (next > until) {
                now = until;
                return;
            }
            now = Math.max(now, next);
            if (nextTcp < Math.min(nextPacket, nextTimer)) {
                tcp.onEvent();
            } else if (nextPacket <= nextTimer) {
                Packet p = inFlight.poll();
                p.to.session.onPacket(p.pn, ByteBuffer.wrap(p.frames), now);
                p.to.session.flush(now);
            } else if (a.session.nextDeadline() <= now) {
                a.session.onTimer(now);
            } else if (bDeadline > now) {
                continue;
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
