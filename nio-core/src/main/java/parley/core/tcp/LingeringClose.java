package parley.core.tcp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.Timer;
import parley.core.wire.ErrorCode;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The graceful end after an ERROR: the ERROR goes out (and with TLS a close_notify), the output is
 * shut down once the kernel has taken every byte, and input is drained and discarded until the
 * peer closes or {@link #LINGER_NANOS} pass. Closing at once with unread input would make the
 * kernel send RST, and the peer could lose the ERROR that explains why. Loop thread only.
 */
final class LingeringClose {
    private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final TcpConnection conn;
    private final SocketChannel channel;
    private final TlsTransport tls;
    private CloseReason reason;
    private Timer lingerTimer;

    LingeringClose(TcpConnection conn, SocketChannel channel, TlsTransport tls) {
        this.conn = conn;
        this.channel = channel;
        this.tls = tls;
    }

    /** The stream broke the protocol: logged, answered with an ERROR, then closed as {@link CloseReason#PROTOCOL_ERROR}. */
    void protocolError(int correlationId, int code, String message) {
        log.info("closing {}: protocol error {} ({})", conn.remoteAddress(), ErrorCode.coreName(code), message);
        begin(correlationId, code, message, CloseReason.PROTOCOL_ERROR);
    }

    /** Sends the ERROR and starts the linger; a connection not open closes at once (connecting) or stays as it is. */
    void begin(int correlationId, int code, String message, CloseReason closeReason) {
        TcpConnection.State state = conn.state();
        if (state != TcpConnection.State.OPEN) {
            if (state == TcpConnection.State.CONNECTING) {
                conn.close(closeReason);
            }
            return;
        }
        conn.sendError(correlationId, code, message);
        conn.coalescer().pushOut(); // the ERROR must be on its way before the output is shut
        if (tls != null && conn.state() == TcpConnection.State.OPEN) {
            tls.closeOutbound();
        }
        if (conn.state() != TcpConnection.State.OPEN) {
            return; // the write itself failed and closed us
        }
        conn.state(TcpConnection.State.CLOSING); // input is now drained and discarded
        reason = closeReason;
        if (conn.pendingBytes() == 0) {
            shutdownOutput();
        }
        lingerTimer = new Timer(now -> conn.close(reason));
        conn.loop().schedule(lingerTimer, conn.loop().nanoTime() + LINGER_NANOS);
    }

    /** Why the connection is closing, for the close that ends the linger. */
    CloseReason reason() {
        return reason;
    }

    void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            conn.close(reason);
        }
    }

    /** The connection closed: the linger timer has nothing left to do. */
    void cancel() {
        if (lingerTimer != null) {
            conn.loop().cancel(lingerTimer);
        }
    }
}
