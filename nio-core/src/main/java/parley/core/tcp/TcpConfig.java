package parley.core.tcp;

/** Limits for one TCP connection. Immutable; share one instance among all connections of a kind. */
public final class TcpConfig {
    public static final TcpConfig DEFAULT = new TcpConfig(64 * 1024, 32 * 1024, 64 * 1024, 4 * 1024 * 1024);

    /** Largest whole frame (header plus body) accepted or sent. */
    public final int maxFrameLength;
    /** Below this many pending bytes a connection that was unwritable becomes writable again. */
    public final int lowWaterMark;
    /** Above this many pending bytes the connection reports itself unwritable. */
    public final int highWaterMark;
    /** Past this many pending bytes the peer is a slow consumer and is disconnected. */
    public final int hardLimit;

    public TcpConfig(int maxFrameLength, int lowWaterMark, int highWaterMark, int hardLimit) {
        if (maxFrameLength < parley.core.wire.Header.LENGTH || lowWaterMark < 0 || lowWaterMark > highWaterMark
                || highWaterMark > hardLimit) {
            throw new IllegalArgumentException("need header <= maxFrame and 0 <= low <= high <= hard");
        }
        this.maxFrameLength = maxFrameLength;
        this.lowWaterMark = lowWaterMark;
        this.highWaterMark = highWaterMark;
        this.hardLimit = hardLimit;
    }

    public TcpConfig withMaxFrameLength(int n) {
        return new TcpConfig(n, lowWaterMark, highWaterMark, hardLimit);
    }

    public TcpConfig withWaterMarks(int low, int high, int hard) {
        return new TcpConfig(maxFrameLength, low, high, hard);
    }
}
