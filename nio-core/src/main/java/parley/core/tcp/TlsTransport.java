package parley.core.tcp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.core.loop.Timer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.nio.ByteBuffer;

/**
 * Drives one connection's {@link SSLEngine} on the loop thread, as Netty's {@code SslHandler}
 * does: ciphertext from the socket is unwrapped into the loop's shared plaintext buffer and
 * handed to the frame decoder; plaintext the handler writes is wrapped into the loop's shared
 * ciphertext buffer and written like plaintext bytes were, through the connection's outbound
 * buffer, so its water marks and hard limit count ciphertext.
 *
 * <p><b>Delegated tasks.</b> When the engine asks for a task (handshake signatures, key
 * agreement, certificate checks, which may read a pin file), the connection stops reading, posts
 * one job to the {@link TlsConfig#tasks} pool that runs every pending task, and the job posts the
 * continuation back with {@link EventLoop#execute}. The loop never runs a task; a full pool refuses
 * the handshake ({@link CloseReason#OVERLOADED}).
 *
 * <p><b>Buffers held per connection.</b> {@code inLeftover}: ciphertext of an incomplete record,
 * or input that arrived while a task was running; {@code early}: plaintext written before the
 * handshake finished. Both are null in steady state.
 *
 * <p><b>Close.</b> A local close sends close_notify (best effort, only what the socket takes at
 * once with the rest of the output). A received close_notify is a half-close, reported as
 * {@link ConnectionHandler#onInputClosed} like a FIN in plaintext: TLS 1.3 lets this side keep
 * writing. A FIN without close_notify is a truncation and closes as {@link CloseReason#PEER_RESET}.
 */
final class TlsTransport {
    private static final Logger log = LoggerFactory.getLogger(TlsTransport.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final TcpConnection conn;
    private final SSLEngine engine;
    private final TlsConfig config;
    private final TlsBuffers buffers = TlsBuffers.forThisThread();
    private final int packetSize;
    private final int appSize;
    private final Timer deadline;
    private final Runnable taskJob = this::runTasksOnWorker;
    private final Runnable taskDone = this::tasksDone;
    private ByteBuffer inLeftover; // write mode
    private ByteBuffer early; // write mode
    private boolean established;
    private boolean tasksRunning;
    private boolean disposed;
    private boolean closeNotifySent;
    private volatile Throwable taskFailure;
    private Throwable failure;

    TlsTransport(TcpConnection conn, TlsConfig config) {
        this.conn = conn;
        this.config = config;
        this.engine = config.newEngine(conn.remoteAddress());
        SSLSession s = engine.getSession();
        this.packetSize = s.getPacketBufferSize();
        this.appSize = s.getApplicationBufferSize();
        this.deadline = new Timer(now -> handshakeTimedOut());
    }

    /** The TCP connection is up: start the handshake and its deadline. */
    void begin() {
        EventLoop loop = conn.loop();
        loop.schedule(deadline, loop.nanoTime() + config.handshakeTimeoutNanos);
        try {
            engine.beginHandshake();
            process(EMPTY);
        } catch (SSLException | RuntimeException e) {
            fail(e);
        }
    }

    boolean isEstablished() {
        return established;
    }

    SSLSession session() {
        return established ? engine.getSession() : engine.getHandshakeSession();
    }

    Throwable failure() {
        return failure;
    }

    /** The loop's shared ciphertext read buffer. */
    ByteBuffer readBuffer() {
        return buffers.netIn();
    }

    /** How much to read from the socket at once: during the handshake, one record, so little piles up during a task. */
    int readLimit(int capacity) {
        return established ? capacity : Math.min(capacity, packetSize);
    }

    /** Ciphertext from the socket, position to limit; consumes all of it. */
    void onCipher(ByteBuffer in) {
        ByteBuffer src = in;
        if (inLeftover != null) {
            appendLeftover(in);
            inLeftover.flip();
            src = inLeftover;
        }
        try {
            process(src);
        } catch (SSLException | RuntimeException e) {
            fail(e);
            return;
        } finally {
            keepLeftover(src);
        }
    }

    private void appendLeftover(ByteBuffer in) {
        if (inLeftover.remaining() < in.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(inLeftover.position() + in.remaining());
            inLeftover.flip();
            bigger.put(inLeftover);
            inLeftover = bigger;
        }
        inLeftover.put(in);
    }

    private void keepLeftover(ByteBuffer src) {
        if (disposed) {
            inLeftover = null;
            return;
        }
        if (src == inLeftover) {
            inLeftover.compact();
            if (inLeftover.position() == 0) {
                inLeftover = null;
            }
        } else if (src.hasRemaining()) {
            inLeftover = ByteBuffer.allocate(Math.max(src.remaining(), packetSize));
            inLeftover.put(src);
        }
    }

    /** Runs the engine as far as it goes without more input or a task. */
    private void process(ByteBuffer src) throws SSLException {
        while (!disposed && !tasksRunning) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                startTasks();
                return;
            }
            if (hs == HandshakeStatus.NEED_WRAP) {
                if (!wrap(EMPTY)) {
                    return;
                }
                continue;
            }
            if (!established && hs == HandshakeStatus.NOT_HANDSHAKING) {
                finishHandshake();
                continue;
            }
            if (!src.hasRemaining() || engine.isInboundDone()) {
                return;
            }
            ByteBuffer app = buffers.appIn(appSize);
            SSLEngineResult r = engine.unwrap(src, app);
            if (app.position() > 0) {
                app.flip();
                conn.tlsPlaintext(app);
                if (disposed) {
                    return;
                }
            }
            switch (r.getStatus()) {
                case BUFFER_UNDERFLOW:
                    return; // the rest of the record is still on its way
                case BUFFER_OVERFLOW:
                    throw new SSLException("record larger than the engine's application buffer");
                case CLOSED:
                    inboundClosed();
                    return;
                default:
                    if (r.getHandshakeStatus() == HandshakeStatus.FINISHED && !established) {
                        finishHandshake();
                    }
            }
        }
    }

    /**
     * Wraps all of {@code src} (or one handshake step for {@link #EMPTY}) and writes the records.
     * Returns false when nothing could be produced.
     */
    private boolean wrap(ByteBuffer src) throws SSLException {
        do {
            ByteBuffer net = buffers.netOut(packetSize);
            SSLEngineResult r = engine.wrap(src, net);
            net.flip();
            if (net.hasRemaining()) {
                conn.tlsCiphertext(net);
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                src.position(src.limit());
                return r.bytesProduced() > 0;
            }
            if (r.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("wrap failed: " + r.getStatus());
            }
            if (disposed || (r.bytesProduced() == 0 && r.bytesConsumed() == 0)) {
                return r.bytesProduced() > 0;
            }
        } while (src.hasRemaining());
        return true;
    }

    /** Plaintext from the handler, position to limit. Before the handshake ends it waits in {@code early}. */
    void write(ByteBuffer src) {
        if (!established) {
            if (early == null) {
                early = ByteBuffer.allocate(Math.max(src.remaining(), 1024));
            } else if (early.remaining() < src.remaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(early.capacity() * 2, early.position() + src.remaining()));
                early.flip();
                bigger.put(early);
                early = bigger;
            }
            early.put(src);
            return;
        }
        try {
            wrap(src);
        } catch (SSLException | RuntimeException e) {
            src.position(src.limit());
            fail(e);
        }
    }

    /** Plaintext waiting for the handshake, counted against the hard limit with the ciphertext. */
    int earlyBytes() {
        return early == null ? 0 : early.position();
    }

    private void finishHandshake() throws SSLException {
        established = true;
        conn.loop().cancel(deadline);
        if (log.isDebugEnabled()) {
            SSLSession s = engine.getSession();
            log.debug("TLS with {}: {} {}", conn.remoteAddress(), s.getProtocol(), s.getCipherSuite());
        }
        if (early != null) { // written before onOpen, so sent before what onOpen writes
            ByteBuffer e = early;
            early = null;
            e.flip();
            wrap(e);
            if (disposed) {
                return;
            }
        }
        conn.tlsEstablished();
    }

    private void startTasks() {
        tasksRunning = true;
        conn.readInterest(false);
        if (!config.tasks.offer(taskJob)) {
            tasksRunning = false;
            log.info("refusing the TLS handshake with {}: the handshake pool is full", conn.remoteAddress());
            conn.close(CloseReason.OVERLOADED);
        }
    }

    /** On a worker: runs every task the engine has, then hands the connection back to its loop. */
    private void runTasksOnWorker() {
        try {
            Runnable t;
            while ((t = engine.getDelegatedTask()) != null) {
                t.run();
            }
        } catch (Throwable e) {
            taskFailure = e;
        }
        conn.loop().execute(taskDone);
    }

    /** Back on the loop after the tasks. */
    private void tasksDone() {
        tasksRunning = false;
        if (disposed) {
            return;
        }
        Throwable f = taskFailure;
        if (f != null) {
            fail(f);
            return;
        }
        conn.readInterest(true);
        onCipher(EMPTY);
    }

    private void inboundClosed() {
        if (!established) {
            fail(new SSLException("the peer closed during the TLS handshake"));
            return;
        }
        conn.tlsInputClosed();
    }

    /** The transport stream ended (FIN). Answers whether it was a clean TLS close (close_notify first). */
    boolean endOfStream() {
        if (engine.isInboundDone()) {
            return true;
        }
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            failure = e;
        }
        return false;
    }

    /** Sends close_notify once, with whatever else is pending. */
    void closeOutbound() {
        if (closeNotifySent || disposed || !established) {
            return;
        }
        closeNotifySent = true;
        engine.closeOutbound();
        try {
            wrap(EMPTY);
        } catch (SSLException | RuntimeException e) {
            log.debug("close_notify to {} failed: {}", conn.remoteAddress(), e.toString());
        }
    }

    /** The connection is closed: forget all state, drop late task completions. */
    void dispose() {
        disposed = true;
        inLeftover = null;
        early = null;
        conn.loop().cancel(deadline);
        if (!engine.isOutboundDone()) {
            engine.closeOutbound();
        }
    }

    private void handshakeTimedOut() {
        if (!established && !disposed) {
            log.info("closing {}: TLS handshake not finished within {} ms", conn.remoteAddress(),
                    config.handshakeTimeoutNanos / 1_000_000);
            conn.close(CloseReason.HANDSHAKE_TIMEOUT);
        }
    }

    private void fail(Throwable e) {
        if (disposed) {
            return;
        }
        failure = e;
        log.info("closing {}: TLS failed: {}", conn.remoteAddress(), e.toString());
        sendAlert();
        conn.close(CloseReason.TLS_FAILED);
    }

    /** After a failure the engine may hold an alert for the peer: send it, best effort. */
    private void sendAlert() {
        try {
            closeNotifySent = true;
            for (int i = 0; i < 2 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
                ByteBuffer net = buffers.netOut(packetSize);
                engine.wrap(EMPTY, net);
                net.flip();
                if (net.hasRemaining()) {
                    conn.tlsCiphertext(net);
                }
            }
        } catch (SSLException | RuntimeException e) {
            log.debug("no alert sent to {}: {}", conn.remoteAddress(), e.toString());
        }
    }
}
