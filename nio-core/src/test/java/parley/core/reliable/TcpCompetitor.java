package parley.core.reliable;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A TCP CUBIC bulk flow in a {@link SyntheticLink}, sharing a's bottleneck queue as the lab's TCP
 * stream shares the tbf: 1,500-byte packets sent unpaced whenever the window allows (the lab's
 * GSO is off and its TCP is unpaced, so they leave in the ack clock's bursts), acked one by one
 * as they reach b, the acks back after the one-way delay (b's side is not limited). A packet the
 * queue drops is known lost one RTT later (duplicate acks), and a loss of a packet sent after the
 * last cut cuts the window once (recovery). The window is {@link CubicWindow}, the same RFC 9438
 * rules Linux's CUBIC follows (without HyStart: slow start ends at the first loss). Retransmissions
 * are not modelled: the flow's goodput is what is acked.
 */
final class TcpCompetitor {
    static final int MSS = 1448;
    static final int PACKET = 1500;
    static final int INITIAL_WINDOW = 10 * MSS;

    private final SyntheticLink link;
    private final CubicWindow window = new CubicWindow(2 * MSS, MSS);
    /** {at, sentTime, lost (1) or acked (0)}, in time order. */
    private final PriorityQueue<long[]> events = new PriorityQueue<>(Comparator.comparingLong(e -> e[0]));
    private long inFlight;
    private long recoveryStart = Long.MIN_VALUE;
    long delivered;
    long cuts;

    TcpCompetitor(SyntheticLink link) {
        this.link = link;
    }

    void start() {
        window.restart(INITIAL_WINDOW, link.now);
        send();
    }

    long nextEvent() {
        return events.isEmpty() ? Long.MAX_VALUE : events.peek()[0];
    }

    void onEvent() {
        long[] e = events.poll();
        long now = link.now;
        inFlight -= MSS;
        if (e[2] == 1) {
            if (e[1] > recoveryStart) {
                window.reduce(now, CubicWindow.BETA_PERCENT);
                recoveryStart = now;
                cuts++;
            }
        } else {
            delivered += MSS;
            window.onAcked(MSS, e[1], now, now - e[1]);
        }
        send();
    }

    private void send() {
        long now = link.now;
        while (inFlight + MSS <= window.window()) {
            long departs = link.a.enqueue(PACKET, false);
            inFlight += MSS;
            if (departs < 0) {
                // lost at the tail: the acks of the packets behind it tell, about one RTT from now
                long drained = Math.max(now, link.a.linkFreeAt());
                events.add(new long[] {drained + 2 * link.oneWayNanos, now, 1});
            } else {
                events.add(new long[] {departs + 2 * link.oneWayNanos, now, 0});
            }
        }
    }
}
