package parley.core.reliable;

import java.util.concurrent.TimeUnit;

/** Tunables of a reliable session. Defaults suit a LAN or loopback and a chat workload. */
public final class ReliableConfig {
    /** The largest UDP payload over IPv4 (65,535 less 20 bytes of IP header and 8 of UDP). */
    public static final int MAX_UDP_PAYLOAD = 65_507;
    /**
     * kGranularity, RFC 9002 section 6.1.2: the system timer's granularity, and so the floor of
     * every loss and probe timer; 1 ms, the RFC's recommended value. The default of
     * {@link #granularityNanos}.
     */
    public static final long K_GRANULARITY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * kInitialRtt, RFC 9002 section 6.2.2: the RTT assumed before the first sample. 50 ms, well
     * below the RFC's 333 ms, as these defaults suit a LAN or loopback. The default of
     * {@link #initialRttNanos}.
     */
    public static final long K_INITIAL_RTT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The default of {@link #offerGcm}: system property {@code parley.aead.gcm}, read once, true unless "false". */
    public static final boolean GCM_BY_DEFAULT = !"false".equals(System.getProperty("parley.aead.gcm"));

    /**
     * The base datagram size, header and tag included: every path starts at it and falls back to
     * it, as it stays under common path MTUs (PROTOCOL.md 9.2). Path-MTU probing may raise a
     * direct path above it, up to {@link #datagramCeiling} (PROTOCOL.md 9.8).
     */
    public int maxDatagram = 1200;
    /**
     * The largest datagram path-MTU probing may raise a path to (PROTOCOL.md 9.8), and the largest
     * a peer accepts: the receive buffers are this big. Also capped by the local interface's MTU.
     * Set to {@link #maxDatagram} to turn probing off (every path then stays at the base).
     */
    public int datagramCeiling = MAX_UDP_PAYLOAD;
    /** Largest message accepted by send; larger ones are refused with MessageTooLargeException. */
    public int maxMessage = 1024 * 1024;
    /** Bytes of stream the receiver buffers beyond what it delivered: the flow-control window. */
    public int receiveWindow = 4 * 1024 * 1024;
    /** Bytes of unacknowledged messages a sender queues before send reports back-pressure. */
    public int sendBuffer = 4 * 1024 * 1024;
    /** Messages waiting for delivery at most. */
    public int maxPendingMessages = 1 << 17;

    public long initialRttNanos = K_INITIAL_RTT_NANOS;
    public long minRtoNanos = TimeUnit.MILLISECONDS.toNanos(2);
    public long maxRtoNanos = TimeUnit.SECONDS.toNanos(2);
    /** Timer granularity (RFC 9002 kGranularity): the floor of every loss and probe timer. */
    public long granularityNanos = K_GRANULARITY_NANOS;
    /** Longest the receiver waits before acknowledging (RFC 9002 max_ack_delay). */
    public long maxAckDelayNanos = TimeUnit.MILLISECONDS.toNanos(1);
    /** Unanswered probes in a row after which the peer is declared dead. */
    public int maxProbes = 8;
    /**
     * No datagram from the peer for this long and the session is dead. Longer than a direct
     * path's silence limit (45 s, PROTOCOL.md 9.6), so that a session with a relay falls back to
     * it before it dies; a peer that is gone while data is in flight is found sooner, by probes.
     */
    public long idleTimeoutNanos = TimeUnit.SECONDS.toNanos(60);
    /**
     * A session with nothing to send pings after this long, so both sides see it alive and NAT
     * mappings (UDP timeouts of about 30 s in common routers) stay open; no more often than that.
     */
    public long keepaliveNanos = TimeUnit.SECONDS.toNanos(15);
    /** Packets a receiver lets pass before it acks (RFC 9002 recommends 2). */
    public int ackEveryPackets = 2;
    /** Initial congestion window in bytes (RFC 9002: 10 datagrams). */
    public int initialWindow = 10 * 1200;
    /**
     * Floor of the congestion window. RFC 9002 says 2 datagrams; we keep 8, because under random
     * (non-congestion) loss a 2-packet window cannot trigger packet-threshold detection and every
     * loss then waits for a timer. 8 datagrams per RTT is a negligible load on any real path.
     */
    public int minimumWindow = 8 * 1200;
    /**
     * This side offers AES-256-GCM on its sessions (a SUITES frame, PROTOCOL.md 9.3) and then
     * accepts datagrams sealed with it. {@code -Dparley.aead.gcm=false} turns the default off, for
     * tests and interop checks; ChaCha20-Poly1305 is always used and accepted.
     */
    public boolean offerGcm = GCM_BY_DEFAULT;

    public ReliableConfig copy() {
        ReliableConfig c = new ReliableConfig();
        c.maxDatagram = maxDatagram;
        c.datagramCeiling = datagramCeiling;
        c.maxMessage = maxMessage;
        c.receiveWindow = receiveWindow;
        c.sendBuffer = sendBuffer;
        c.maxPendingMessages = maxPendingMessages;
        c.initialRttNanos = initialRttNanos;
        c.minRtoNanos = minRtoNanos;
        c.maxRtoNanos = maxRtoNanos;
        c.granularityNanos = granularityNanos;
        c.maxAckDelayNanos = maxAckDelayNanos;
        c.maxProbes = maxProbes;
        c.idleTimeoutNanos = idleTimeoutNanos;
        c.keepaliveNanos = keepaliveNanos;
        c.ackEveryPackets = ackEveryPackets;
        c.initialWindow = initialWindow;
        c.minimumWindow = minimumWindow;
        c.offerGcm = offerGcm;
        return c;
    }
}
