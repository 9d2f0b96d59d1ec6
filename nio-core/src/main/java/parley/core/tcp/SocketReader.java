package parley.core.tcp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The input side of a {@link TcpConnection}. The read loop: up to {@link #READS_PER_WAKEUP} socket reads per
 * readiness into the loop's shared buffer, each handed to the TLS transport or straight to the
 * frame decoder. It stops as soon as the socket is drained (a short read), so a quiet connection
 * never pays for a read that returns 0, and a busy one cannot hold the loop for long. While an
 * ERROR is being delivered (closing) input is read and discarded. Then the bytes' way to the
 * frame decoder, and the end of input: a FIN (or close_notify) is a half-close for the handler, a
 * FIN without close_notify a broken TLS stream, a FIN inside a frame a truncation. Loop thread only.
 */
final class SocketReader {
    private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);
    private static final int READS_PER_WAKEUP = 4;

    private final TcpConnection conn;
    private final SocketChannel channel;
    private final TlsTransport tls;
    private final FrameDecoder decoder;
    private long socketReads;

    SocketReader(TcpConnection conn, SocketChannel channel, TlsTransport tls, FrameDecoder decoder) {
        this.conn = conn;
        this.channel = channel;
        this.tls = tls;
        this.decoder = decoder;
    }

    void readBatch() {
        // TLS reads into a heap buffer: the JDK's AES-GCM copies direct buffers through fresh arrays.
        ByteBuffer buf = tls == null ? conn.loop().readBuffer() : tls.readBuffer();
        for (int i = 0; i < READS_PER_WAKEUP && conn.state() != TcpConnection.State.CLOSED; i++) {
            buf.clear();
            if (tls != null) {
                buf.limit(tls.readLimit(buf.capacity()));
            }
            // What this read may take; after the flip below the limit is n, so compare with this.
            int room = buf.limit();
            int n;
            try {
                socketReads++;
                n = channel.read(buf);
            } catch (IOException e) {
                log.debug("read from {} failed: {}", conn.remoteAddress(), e.toString());
                conn.close(CloseReason.PEER_RESET);
                return;
            }
            if (n < 0) {
                inputClosed();
                return;
            }
            if (n == 0) {
                return;
            }
            if (conn.state() == TcpConnection.State.CLOSING) {
                continue; // draining after an ERROR: discard
            }
            buf.flip();
            if (tls != null) {
                tls.onCipher(buf);
            } else if (!decode(buf)) {
                return;
            }
            if (n < room || tls != null && !isReading()) {
                return; // the socket is drained; don't pay for a read that returns 0
            }
        }
    }

    /** Read calls made on the socket so far, those that returned nothing included. */
    long socketReads() {
        return socketReads;
    }

    /** Hands plaintext to the decoder; false if the stream broke the framing and the connection is closing. */
    boolean decode(ByteBuffer buf) {
        try {
            decoder.decode(buf, conn);
            return true;
        } catch (WireException e) {
            conn.closer().protocolError(0, e.code(), e.getMessage());
            return false;
        }
    }

    private boolean isReading() {
        SelectionKey key = conn.key();
        return conn.state() != TcpConnection.State.CLOSED && key.isValid() && (key.interestOps() & SelectionKey.OP_READ) != 0;
    }

    /** Reading pauses while a delegated task runs, so input does not pile up in the connection. */
    void readInterest(boolean on) {
        SelectionKey key = conn.key();
        if (conn.state() == TcpConnection.State.CLOSED || !key.isValid()) {
            return;
        }
        int ops = key.interestOps();
        key.interestOps(on ? ops | SelectionKey.OP_READ : ops & ~SelectionKey.OP_READ);
    }

    /** End of input: a FIN, or with TLS a close_notify. */
    void inputClosed() {
        if (conn.state() == TcpConnection.State.CLOSING) {
            conn.close(conn.closer().reason());
            return;
        }
        if (tls != null && !tls.endOfStream()) {
            log.info("closing {}: the TLS stream ended without close_notify{}", conn.remoteAddress(),
                    tls.isEstablished() ? "" : " during the handshake");
            conn.close(tls.isEstablished() ? CloseReason.PEER_RESET : CloseReason.TLS_FAILED);
            return;
        }
        SelectionKey key = conn.key();
        key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        if (decoder.hasPartialFrame()) {
            conn.closer().protocolError(0, ErrorCode.TRUNCATED_FRAME, "connection closed in the middle of a frame");
            return;
        }
        conn.handler().onInputClosed(conn);
    }
}
