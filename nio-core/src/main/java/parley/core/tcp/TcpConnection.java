package parley.core.tcp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.core.loop.Selectable;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorBody;
import parley.core.wire.Header;
import parley.core.wire.WireException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One framed TCP connection, owned by its loop. All methods are for the loop thread.
 *
 * <p>Writes try the socket first and buffer only what it refuses; {@code OP_WRITE} interest is
 * on only while bytes are pending. Pending bytes are bounded: above the high water mark the
 * connection reports itself unwritable so its producer can stop or drop, and past the hard limit
 * the peer is disconnected as a slow consumer.
 *
 * <p>Writes coalesce ({@link WriteCoalescer}): one read's replies, or one batching scope's
 * ({@link EventLoop#runBatchingWrites}), leave in one socket write.
 *
 * <p>A protocol violation is answered with an ERROR, then the output is shut down and input is
 * drained and discarded until the peer closes (or a linger timeout): {@link LingeringClose}.
 *
 * <p>This class holds the state and the public API; the jobs live in their own classes: the read
 * loop ({@link SocketReader}), the socket end of the output with its water marks
 * ({@link SocketWriter}), coalescing ({@link WriteCoalescer}), the ERROR-then-linger close
 * ({@link LingeringClose}) and TLS ({@link TlsTransport}, which calls the {@code tls*} hooks).
 */
public final class TcpConnection implements Selectable, FrameDecoder.Sink {
    private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);

    enum State { CONNECTING, OPEN, CLOSING, CLOSED }

    private final EventLoop loop;
    private final SocketChannel channel;
    private final TcpConfig config;
    private final InetSocketAddress remote;
    private ConnectionHandler handler;
    private SelectionKey key;
    private State state;
    private Object attachment;
    private final WriteCoalescer coalescer;
    private final SocketWriter writer;
    private final SocketReader reader;
    private LingeringClose closer; // made at the first ERROR-then-close: idle connections do not carry one
    // Null for plaintext. With TLS, onOpen waits for the handshake and every byte passes through it.
    private final TlsTransport tls;

    TcpConnection(EventLoop loop, SocketChannel channel, TcpConfig config, InetSocketAddress remote, State state,
                          TlsConfig tlsConfig) {
        this.loop = loop;
        this.channel = channel;
        this.config = config;
        this.remote = remote;
        this.state = state;
        this.coalescer = new WriteCoalescer(this, loop.writeBatches());
        this.tls = tlsConfig == null ? null : new TlsTransport(this, tlsConfig);
        this.writer = new SocketWriter(this, channel, config);
        this.reader = new SocketReader(this, channel, tls, new FrameDecoder(config.maxFrameLength));
    }

    void start(ConnectionHandler handler) throws IOException {
        this.handler = handler;
        this.key = loop.register(channel, SelectionKey.OP_READ, this);
        opened();
    }

    /** The TCP connection is up: tell the handler, or with TLS start the handshake (onOpen follows it). */
    void opened() {
        if (tls == null) {
            handler.onOpen(this);
        } else {
            tls.begin();
        }
    }

    /**
     * Opens a connection to {@code to}. The handler sees {@code onOpen} once it is established, or
     * {@code onConnectFailed} then {@code onClosed(CONNECT_FAILED)}. Loop thread only.
     */
    public static TcpConnection connect(EventLoop loop, InetSocketAddress to, ConnectionHandler handler, TcpConfig config)
            throws IOException {
        return connect(loop, to, handler, config, null);
    }

    /**
     * Opens a TLS connection to {@code to} ({@code tlsConfig} null: plaintext). The handler sees
     * {@code onOpen} once the handshake is done; a failed handshake closes the connection as
     * {@link CloseReason#TLS_FAILED}, {@link CloseReason#HANDSHAKE_TIMEOUT} or
     * {@link CloseReason#OVERLOADED} without {@code onOpen}. Loop thread only.
     */
    public static TcpConnection connect(EventLoop loop, InetSocketAddress to, ConnectionHandler handler, TcpConfig config,
                                        TlsConfig tlsConfig) throws IOException {
        return Connecting.open(loop, to, handler, config, tlsConfig);
    }

    @Override
    public void onReady(SelectionKey k) throws Exception {
        int ready = k.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            Connecting.finish(this, channel, writer);
            return;
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            flushOutbound();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && state != State.CLOSED) {
            read();
        }
    }

    private void read() {
        coalescer.beginRead();
        try {
            reader.readBatch();
        } finally {
            coalescer.flushBatch();
        }
    }

    // --- called by TlsTransport, loop thread ---

    /** Decrypted bytes, in the loop's shared plaintext buffer. */
    void tlsPlaintext(ByteBuffer plain) {
        if (state == State.OPEN) {
            reader.decode(plain);
        }
    }

    /** Encrypted bytes to send, in the loop's shared ciphertext buffer. */
    void tlsCiphertext(ByteBuffer cipher) {
        writeRaw(cipher);
    }

    void tlsEstablished() {
        if (state == State.OPEN) {
            handler.onOpen(this);
        }
    }

    /** Reading pauses while a delegated task runs, so input does not pile up in the connection. */
    void readInterest(boolean on) {
        reader.readInterest(on);
    }

    /** The peer sent close_notify: a half-close, reported like a FIN in plaintext. */
    void tlsInputClosed() {
        reader.inputClosed();
    }

    @Override
    public boolean onFrame(ByteBuffer buffer, int offset, int length) {
        if (state != State.OPEN) {
            return false;
        }
        try {
            handler.onFrame(this, buffer, offset, length);
        } catch (WireException e) {
            // The frame was well delimited, only its content was bad: answer and carry on.
            int correlation = buffer.getInt(offset + Header.CORRELATION_OFFSET);
            sendError(correlation, e.code(), e.getMessage());
        } catch (Exception e) {
            failed(e);
        }
        return state == State.OPEN;
    }

    /** Writes all of {@code src} (position to limit), now or later. Never blocks. */
    public void write(ByteBuffer src) {
        if (state == State.CLOSED || state == State.CLOSING) {
            src.position(src.limit());
            return;
        }
        if (!coalescer.offer(src)) {
            writeNow(src);
        }
    }

    /**
     * Plaintext on its way out, once past the coalescer: straight to the socket path, or through
     * TLS, whose records then take that path ({@link #writeRaw}).
     */
    void writeNow(ByteBuffer src) {
        if (tls == null) {
            writeRaw(src);
            return;
        }
        if (!tls.isEstablished() && tls.earlyBytes() + src.remaining() > config.hardLimit) {
            close(CloseReason.SLOW_CONSUMER);
            return;
        }
        tls.write(src);
    }

    /** Bytes for the socket (plaintext frames, or TLS records): now (unless corked), or into the outbound buffer. Never blocks. */
    void writeRaw(ByteBuffer src) {
        writer.write(src, state != State.CONNECTING && !coalescer.corked());
    }

    /** Offers the outbound buffer to the socket (OP_WRITE, or the end of a cork). */
    void flushOutbound() {
        writer.flush();
    }

    /** Sends an ERROR answering the request with {@code correlationId}; the connection stays open. */
    public void sendError(int correlationId, int code, String reason) {
        ByteBuffer buf = loop.scratch();
        int n = ErrorBody.encode(buf, 0, new Header(), new BodyWriter(), correlationId, code, reason);
        buf.limit(n);
        write(buf);
    }

    /** Sends an ERROR, then closes gracefully so the peer can read it. */
    public void closeWithError(int correlationId, int code, String reason) {
        closer().begin(correlationId, code, reason, CloseReason.LOCAL);
    }

    public void close() {
        close(CloseReason.LOCAL);
    }

    /** Closes now; pending output is discarded. */
    public void close(CloseReason reason) {
        if (state == State.CLOSED) {
            return;
        }
        coalescer.pushOut(); // replies written just before a close still get their chance
        if (state == State.CLOSED) {
            return; // that write failed and already closed us
        }
        if (tls != null && state != State.CONNECTING && reason != CloseReason.SLOW_CONSUMER
                && reason != CloseReason.PEER_RESET) {
            tls.closeOutbound();
            if (state == State.CLOSED) {
                return;
            }
        }
        state = State.CLOSED;
        if (tls != null) {
            tls.dispose();
        }
        if (closer != null) {
            closer.cancel();
        }
        writer.discard();
        closeChannel();
        try {
            handler.onClosed(this, reason);
        } catch (RuntimeException e) {
            log.warn("onClosed handler for {} threw", remote, e);
        }
    }

    /** Cancels the key and closes the socket; the state and the handler are the caller's business. */
    void closeChannel() {
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("close of {} failed", remote, e);
        }
    }

    @Override
    public void failed(Throwable cause) {
        log.warn("closing {}: handler error", remote, cause);
        close(CloseReason.HANDLER_ERROR);
    }

    @Override
    public void closeForShutdown() {
        close(CloseReason.SHUTDOWN);
    }

    /** Open for frames: connected and, with TLS, past the handshake. */
    public boolean isOpen() {
        return state == State.OPEN && (tls == null || tls.isEstablished());
    }

    /** Whether this connection speaks TLS. */
    public boolean isTls() {
        return tls != null;
    }

    /**
     * The TLS session (the handshake session while it runs), for the peer's certificate and the
     * channel binding ({@code parley.core.tls.ChannelBinding}); null for plaintext.
     */
    public javax.net.ssl.SSLSession tlsSession() {
        return tls == null ? null : tls.session();
    }

    /**
     * Why TLS failed (the engine's exception; a refused pinned key has a
     * {@code parley.core.tls.ServerKeyChangedException} in its cause chain), or null.
     */
    public Throwable tlsFailure() {
        return tls == null ? null : tls.failure();
    }

    /** Open, or closing with an ERROR still to deliver: bytes may still go out. */
    boolean canSend() {
        return state == State.OPEN || state == State.CLOSING;
    }

    public boolean isWritable() {
        return writer.writable() && isOpen();
    }

    public int pendingBytes() {
        return writer.pending();
    }

    /**
     * Write calls made on the socket so far. Tests count them to check that replies coalesce:
     * one read's replies, or one batching scope's, cost one write per connection.
     */
    public long socketWrites() {
        return writer.socketWrites();
    }

    /** Read calls made on the socket so far; tests count them to check that a drained socket is not read again. */
    public long socketReads() {
        return reader.socketReads();
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    public EventLoop loop() {
        return loop;
    }

    public TcpConfig config() {
        return config;
    }

    /** The loop's shared encode buffer, cleared, for building a frame to pass to {@link #write}. */
    public ByteBuffer scratch() {
        return loop.scratch();
    }

    public void attach(Object o) {
        attachment = o;
    }

    public Object attachment() {
        return attachment;
    }

    public void handler(ConnectionHandler h) {
        this.handler = h;
    }

    // --- for the classes that do this connection's jobs, loop thread ---

    State state() {
        return state;
    }

    void state(State s) {
        state = s;
    }

    void key(SelectionKey k) {
        key = k;
    }

    SelectionKey key() {
        return key;
    }

    ConnectionHandler handler() {
        return handler;
    }

    WriteCoalescer coalescer() {
        return coalescer;
    }

    LingeringClose closer() {
        if (closer == null) {
            closer = new LingeringClose(this, channel, tls);
        }
        return closer;
    }
}
