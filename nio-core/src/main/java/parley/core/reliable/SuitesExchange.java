package parley.core.reliable;

/**
 * One session's SUITES exchange (PROTOCOL.md 9.3): our offer of AES-256-GCM, and what the peer
 * said it accepts. Our side, when it offers, sends a SUITES frame once when the session opens,
 * and a new one each time the last one is declared lost or is still unanswered at a probe
 * timeout, at most {@link #MAX_SENDS} per session; once one is acknowledged it sends no more (an
 * old peer drops the packet as malformed and never acknowledges it). The peer's latest mask wins.
 * The {@link LossDetector} reports the SUITES packets' fate, the {@link PacketReader} the peer's
 * frames; loss detection is otherwise untouched. Loop thread only.
 */
final class SuitesExchange {
    /** SUITES frames sent per session at most. */
    static final int MAX_SENDS = 3;

    private final boolean offering;
    private int sends;
    private boolean due;
    private boolean acked;
    /** The packet number of the last SUITES sent, while neither acknowledged nor given up on. */
    private long outstanding = -1;
    private int peerMask;

    /** {@code offering}: this side accepts AES-256-GCM, and says so. */
    SuitesExchange(boolean offering) {
        this.offering = offering;
        this.due = offering;
    }

    /** True if this side offered AES-256-GCM: it accepts datagrams with flags 0x01. */
    boolean offering() {
        return offering;
    }

    /** True while a SUITES frame should go out in a packet of its own. */
    boolean due() {
        return due;
    }

    /** The mask our SUITES frames carry. */
    int mask() {
        return offering ? SuitesFrame.AES_256_GCM : 0;
    }

    void onSent(long pn) {
        due = false;
        sends++;
        outstanding = pn;
    }

    /** A packet that carried a SUITES frame was acknowledged: the peer knows; nothing more is sent. */
    void onAcked() {
        acked = true;
        due = false;
        outstanding = -1;
    }

    /** Packet {@code pn}, which carried a SUITES frame, was declared lost: send a new one if that was the last. */
    void onLost(long pn) {
        if (pn == outstanding) {
            outstanding = -1;
            resendIfAllowed();
        }
    }

    /** A probe timeout fired: if the last SUITES is still unanswered, send a new one. */
    void onProbeTimeout() {
        if (outstanding >= 0) {
            outstanding = -1;
            resendIfAllowed();
        }
    }

    private void resendIfAllowed() {
        due = !acked && sends < MAX_SENDS;
    }

    /** SUITES frames sent so far. */
    int sends() {
        return sends;
    }

    /** True once a packet carrying our SUITES frame was acknowledged. */
    boolean acked() {
        return acked;
    }

    /** The peer sent a SUITES frame with {@code mask}: the latest one wins. */
    void onPeerSuites(int mask) {
        peerMask = mask;
    }

    /** True if the peer's latest SUITES frame says it accepts AES-256-GCM. */
    boolean peerAcceptsGcm() {
        return SuitesFrame.acceptsGcm(peerMask);
    }
}
