package parley.core.tcp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The socket end of a {@link TcpConnection}'s output: bytes (plaintext frames, or TLS records) go
 * to the socket first and only what it refuses waits in the {@link OutboundBuffer}, with
 * {@code OP_WRITE} interest on only while bytes wait. It keeps the water marks (the handler hears
 * when the connection stops and starts being writable) and the hard limit (past it the peer is
 * closed as a slow consumer). Loop thread only; one per connection.
 */
final class SocketWriter {
    private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);

    private final TcpConnection conn;
    private final SocketChannel channel;
    private final TcpConfig config;
    private final OutboundBuffer outbound = new OutboundBuffer();
    private boolean writable = true;
    private long socketWrites;

    SocketWriter(TcpConnection conn, SocketChannel channel, TcpConfig config) {
        this.conn = conn;
        this.channel = channel;
        this.config = config;
    }

    /** Bytes for the socket: now (unless corked or still connecting), or into the outbound buffer. Never blocks. */
    void write(ByteBuffer src, boolean mayWriteNow) {
        if (outbound.pending() == 0 && mayWriteNow) {
            try {
                socketWrites++;
                channel.write(src);
            } catch (IOException e) {
                log.debug("write to {} failed: {}", conn.remoteAddress(), e.toString());
                conn.close(CloseReason.PEER_RESET);
                return;
            }
            if (!src.hasRemaining()) {
                return;
            }
        }
        if (outbound.pending() + src.remaining() > config.hardLimit) {
            log.warn("closing {}: slow consumer, {} bytes pending exceeds the hard limit of {}",
                    conn.remoteAddress(), outbound.pending() + src.remaining(), config.hardLimit);
            conn.close(CloseReason.SLOW_CONSUMER);
            return;
        }
        outbound.append(src);
        if (conn.state() == TcpConnection.State.OPEN) {
            SelectionKey key = conn.key();
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
        if (writable && outbound.pending() > config.highWaterMark) {
            writable = false;
            conn.handler().onWritabilityChanged(conn, false);
        }
    }

    /** Offers the outbound buffer to the socket (OP_WRITE, or the end of a cork). */
    void flush() {
        try {
            if (outbound.pending() > 0) {
                socketWrites++;
            }
            outbound.flushTo(channel);
        } catch (IOException e) {
            log.debug("write to {} failed: {}", conn.remoteAddress(), e.toString());
            conn.close(CloseReason.PEER_RESET);
            return;
        }
        int pending = outbound.pending();
        if (pending == 0) {
            SelectionKey key = conn.key();
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
            if (conn.state() == TcpConnection.State.CLOSING) {
                conn.closer().shutdownOutput();
            }
        }
        if (!writable && pending <= config.lowWaterMark && conn.state() == TcpConnection.State.OPEN) {
            writable = true;
            conn.handler().onWritabilityChanged(conn, true);
        }
    }

    int pending() {
        return outbound.pending();
    }

    boolean writable() {
        return writable;
    }

    long socketWrites() {
        return socketWrites;
    }

    /** The connection closed: what the kernel never took is dropped. */
    void discard() {
        outbound.clear();
    }
}
