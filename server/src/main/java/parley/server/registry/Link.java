package parley.server.registry;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * What the registry needs of a peer's connection: write a whole frame, answer an ERROR, close
 * with one, and say where it comes from. {@link TcpLink} is the real socket; the in-memory test
 * harness captures the frames instead, so the rules run without sockets.
 */
interface Link {
    /** A buffer to encode one frame in; shared, valid until the next call. */
    ByteBuffer scratch();

    /** Queues the frame between position and limit. */
    void write(ByteBuffer frame);

    /** An ERROR answering {@code correlation}; the connection stays open. */
    void sendError(int correlation, int code, String reason);

    /** An ERROR, then a graceful close. */
    void closeWithError(int correlation, int code, String reason);

    boolean isOpen();

    /** The peer's address, or null if unknown. */
    InetSocketAddress remoteAddress();

    /**
     * The connection's RFC 5929 tls-server-end-point value (a hash of our certificate) for
     * SCRAM-SHA-256-PLUS, or null when the connection is not TLS.
     */
    default byte[] channelBinding() {
        return null;
    }
}
