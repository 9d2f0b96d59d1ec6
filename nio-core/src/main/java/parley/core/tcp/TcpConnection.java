package parley.core.tcp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.core.loop.Selectable;
import parley.core.loop.Timer;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorBody;
import parley.core.wire.ErrorCode;
import parley.core.wire.Header;
import parley.core.wire.WireException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

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
 * drained and discarded until the peer closes (or a linger timeout). Closing at once with unread
 * input would make the kernel send RST, and the peer could lose the ERROR that explains why.
 */
public final class TcpConnection implements Selectable, FrameDecoder.Sink {
    private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int READS_PER_WAKEUP = 4;

    private enum State { CONNECTING, OPEN, CLOSING, CLOSED }

    private final EventLoop loop;
    private final SocketChannel channel;
    private final TcpConfig config;
    private final FrameDecoder decoder;
    private final OutboundBuffer outbound = new OutboundBuffer();
    private final InetSocketAddress remote;
    private ConnectionHandler handler;
    private SelectionKey key;
    private State state;
    private boolean writable = true;
    private CloseReason closingReason;
    private Timer lingerTimer;
    private Object attachment;
    private final WriteCoalescer coalescer;
    private long socketWrites;

    private TcpConnection(EventLoop loop, SocketChannel channel, TcpConfig config, InetSocketAddress remote, State state) {
        this.loop = loop;
        this.channel = channel;
        this.config = config;
        this.decoder = new FrameDecoder(config.maxFrameLength);
        this.remote = remote;
        this.state = state;
        this.coalescer = new WriteCoalescer(this, loop.writeBatches());
    }

    /** Wraps an accepted channel; the listener registers it. */
    static TcpConnection accepted(EventLoop loop, SocketChannel channel, TcpConfig config) throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return new TcpConnection(loop, channel, config, (InetSocketAddress) channel.getRemoteAddress(), State.OPEN);
    }

    void start(ConnectionHandler handler) throws IOException {
        this.handler = handler;
        this.key = loop.register(channel, SelectionKey.OP_READ, this);
        handler.onOpen(this);
    }

    /**
     * Opens a connection to {@code to}. The handler sees {@code onOpen} once it is established, or
     * {@code onConnectFailed} then {@code onClosed(CONNECT_FAILED)}. Loop thread only.
     */
    public static TcpConnection connect(EventLoop loop, InetSocketAddress to, ConnectionHandler handler, TcpConfig config)
            throws IOException {
        loop.assertInLoop();
        SocketChannel ch = SocketChannel.open();
        TcpConnection c;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c = new TcpConnection(loop, ch, config, to, State.CONNECTING);
            c.handler = handler;
            if (ch.connect(to)) {
                c.state = State.OPEN;
                c.key = loop.register(ch, SelectionKey.OP_READ, c);
                handler.onOpen(c);
            } else {
                c.key = loop.register(ch, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return c;
    }

    @Override
    public void onReady(SelectionKey k) throws Exception {
        int ready = k.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            finishConnect();
            return;
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            flushOutbound();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && state != State.CLOSED) {
            read();
        }
    }

    private void finishConnect() {
        try {
            channel.finishConnect();
        } catch (IOException e) {
            state = State.CLOSED;
            closeChannel();
            handler.onConnectFailed(this, e);
            handler.onClosed(this, CloseReason.CONNECT_FAILED);
            return;
        }
        state = State.OPEN;
        key.interestOps(SelectionKey.OP_READ | (outbound.pending() > 0 ? SelectionKey.OP_WRITE : 0));
        handler.onOpen(this);
    }

    private void read() {
        coalescer.beginRead();
        try {
            readBatch();
        } finally {
            coalescer.flushBatch();
        }
    }

    private void readBatch() {
        ByteBuffer buf = loop.readBuffer();
        for (int i = 0; i < READS_PER_WAKEUP && state != State.CLOSED; i++) {
            buf.clear();
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                log.debug("read from {} failed: {}", remote, e.toString());
                close(CloseReason.PEER_RESET);
                return;
            }
            if (n < 0) {
                inputClosed();
                return;
            }
            if (n == 0) {
                return;
            }
            if (state == State.CLOSING) {
                continue; // draining after an ERROR: discard
            }
            buf.flip();
            try {
                decoder.decode(buf, this);
            } catch (WireException e) {
                protocolError(0, e.code(), e.getMessage());
                return;
            }
            if (n < buf.capacity()) {
                return; // the socket is drained; don't pay for a read that returns 0
            }
        }
    }

    private void inputClosed() {
        if (state == State.CLOSING) {
            close(closingReason);
            return;
        }
        key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        if (decoder.hasPartialFrame()) {
            protocolError(0, ErrorCode.TRUNCATED_FRAME, "connection closed in the middle of a frame");
            return;
        }
        handler.onInputClosed(this);
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

    /** To the socket now (unless corked), or to the outbound buffer for what it refuses. Never blocks. */
    void writeNow(ByteBuffer src) {
        if (outbound.pending() == 0 && state != State.CONNECTING && !coalescer.corked()) {
            try {
                socketWrites++;
                channel.write(src);
            } catch (IOException e) {
                log.debug("write to {} failed: {}", remote, e.toString());
                close(CloseReason.PEER_RESET);
                return;
            }
            if (!src.hasRemaining()) {
                return;
            }
        }
        if (outbound.pending() + src.remaining() > config.hardLimit) {
            log.warn("closing {}: slow consumer, {} bytes pending exceeds the hard limit of {}",
                    remote, outbound.pending() + src.remaining(), config.hardLimit);
            close(CloseReason.SLOW_CONSUMER);
            return;
        }
        outbound.append(src);
        if (state == State.OPEN) {
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
        if (writable && outbound.pending() > config.highWaterMark) {
            writable = false;
            handler.onWritabilityChanged(this, false);
        }
    }

    /** Offers the outbound buffer to the socket (OP_WRITE, or the end of a cork). */
    void flushOutbound() {
        try {
            if (outbound.pending() > 0) {
                socketWrites++;
            }
            outbound.flushTo(channel);
        } catch (IOException e) {
            log.debug("write to {} failed: {}", remote, e.toString());
            close(CloseReason.PEER_RESET);
            return;
        }
        int pending = outbound.pending();
        if (pending == 0) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
            if (state == State.CLOSING) {
                shutdownOutput();
            }
        }
        if (!writable && pending <= config.lowWaterMark && state == State.OPEN) {
            writable = true;
            handler.onWritabilityChanged(this, true);
        }
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
        protocolError(correlationId, code, reason, CloseReason.LOCAL);
    }

    private void protocolError(int correlationId, int code, String reason) {
        log.info("closing {}: protocol error {} ({})", remote, ErrorCode.coreName(code), reason);
        protocolError(correlationId, code, reason, CloseReason.PROTOCOL_ERROR);
    }

    private void protocolError(int correlationId, int code, String reason, CloseReason closeReason) {
        if (state != State.OPEN) {
            if (state == State.CONNECTING) {
                close(closeReason);
            }
            return;
        }
        sendError(correlationId, code, reason);
        coalescer.pushOut(); // the ERROR must be on its way before the output is shut
        if (state != State.OPEN) {
            return; // the write itself failed and closed us
        }
        state = State.CLOSING;
        closingReason = closeReason;
        if (outbound.pending() == 0) {
            shutdownOutput();
        }
        lingerTimer = new Timer(now -> close(closingReason));
        loop.schedule(lingerTimer, loop.nanoTime() + LINGER_NANOS);
    }

    private void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            close(closingReason);
        }
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
        state = State.CLOSED;
        if (lingerTimer != null) {
            loop.cancel(lingerTimer);
        }
        outbound.clear();
        closeChannel();
        try {
            handler.onClosed(this, reason);
        } catch (RuntimeException e) {
            log.warn("onClosed handler for {} threw", remote, e);
        }
    }

    private void closeChannel() {
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

    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** Open, or closing with an ERROR still to deliver: bytes may still go out. */
    boolean canSend() {
        return state == State.OPEN || state == State.CLOSING;
    }

    public boolean isWritable() {
        return writable && state == State.OPEN;
    }

    public int pendingBytes() {
        return outbound.pending();
    }

    /**
     * Write calls made on the socket so far. Tests count them to check that replies coalesce:
     * one read's replies, or one batching scope's, cost one write per connection.
     */
    public long socketWrites() {
        return socketWrites;
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
}
