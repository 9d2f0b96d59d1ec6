package parley.core.reliable;

/**
 * What one reliable session counted, for stats and tests. The session (and its loss detector)
 * write the fields on the loop thread; callers read them there too, through the getters.
 * Plain longs: counting allocates nothing and costs no fence.
 */
public final class SessionCounters {
    long packetsSent;
    long packetsReceived;
    long retransmitted;
    long probesSent;
    long duplicatePackets;
    long malformedPackets;
    /** Packets dropped unacknowledged: their data needed more held ranges than the receive stream has. */
    long unheldPackets;
    long messagesReceived;
    long messagesRejected;

    SessionCounters() {
    }

    /** Packets handed to the output, data, acks and path frames alike. */
    public long packetsSent() {
        return packetsSent;
    }

    /** Authenticated packets taken in (not duplicates, not malformed). */
    public long packetsReceived() {
        return packetsReceived;
    }

    /** Packets declared lost, whose data was queued to be sent again. */
    public long retransmitted() {
        return retransmitted;
    }

    /** Probe packets sent after a probe timeout (RFC 9002 section 6.2). */
    public long probesSent() {
        return probesSent;
    }

    /** Replayed or duplicate packet numbers dropped. */
    public long duplicatePackets() {
        return duplicatePackets;
    }

    /** Authenticated packets whose frames broke the format, dropped whole. */
    public long unheldPackets() {
        return unheldPackets;
    }

    public long malformedPackets() {
        return malformedPackets;
    }

    /** Messages handed to the application. */
    public long messagesReceived() {
        return messagesReceived;
    }

    /** Messages the application refused with {@link ReliableSession#rejectCurrent}. */
    public long messagesRejected() {
        return messagesRejected;
    }

    /** Packets declared lost over packets sent: the loss estimate shown in stats. */
    public double lossEstimate() {
        return packetsSent == 0 ? 0 : (double) retransmitted / packetsSent;
    }
}
