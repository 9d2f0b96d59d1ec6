package parley.peer.net;

import parley.core.reliable.SessionPath;

/** One session's numbers for /stats. RTT figures in microseconds; -1 when no sample yet. */
public final class SessionStats {
    /** Where the session sends now; null for a transport without paths. */
    public final SessionPath path;
    public final long rttP50Micros;
    public final long rttP99Micros;
    public final long rttMaxMicros;
    public final long retransmissions;
    public final double lossEstimate;
    public final long bytesSent;
    public final long bytesReceived;

    public SessionStats(long rttP50Micros, long rttP99Micros, long rttMaxMicros, long retransmissions,
                        double lossEstimate, long bytesSent, long bytesReceived) {
        this(rttP50Micros, rttP99Micros, rttMaxMicros, retransmissions, lossEstimate, bytesSent, bytesReceived, null);
    }

    public SessionStats(long rttP50Micros, long rttP99Micros, long rttMaxMicros, long retransmissions,
                        double lossEstimate, long bytesSent, long bytesReceived, SessionPath path) {
        this.path = path;
        this.rttP50Micros = rttP50Micros;
        this.rttP99Micros = rttP99Micros;
        this.rttMaxMicros = rttMaxMicros;
        this.retransmissions = retransmissions;
        this.lossEstimate = lossEstimate;
        this.bytesSent = bytesSent;
        this.bytesReceived = bytesReceived;
    }
}
