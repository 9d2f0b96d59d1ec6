package parley.server.protocol.client;

import parley.core.loop.EventLoop;
import parley.core.tcp.CloseReason;
import parley.core.tcp.ConnectionHandler;
import parley.core.tcp.TcpConfig;
import parley.core.tcp.TcpConnection;
import parley.core.tcp.TlsConfig;
import parley.core.util.LongObjectMap;
import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.CoreOpcodes;
import parley.core.wire.ErrorBody;
import parley.core.wire.ErrorCode;
import parley.core.wire.Flags;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.core.wire.WireException;
import parley.server.protocol.MailAck;
import parley.server.protocol.MailDeposit;
import parley.server.protocol.MailFetch;
import parley.server.protocol.MailPage;
import parley.server.protocol.MailWaiting;
import parley.server.protocol.RegistryOpcodes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The client side of the registry protocol, on a caller's loop: sends requests with fresh
 * correlation ids, matches answers to them, and hands pushes to a listener. Loop thread only.
 * When the connection ends, every request still waiting is answered with {@link #CONNECTION_LOST}.
 */
public final class RegistryClient implements ConnectionHandler {
    /** Pseudo error code for requests cut off by a lost connection; never on the wire. */
    public static final int CONNECTION_LOST = -1;

    public interface Listener {
        default void onConnected(RegistryClient client) {
        }

        /** A PUSH from the registry. The body is valid only during the call. */
        default void onPush(RegistryClient client, int opcode, BodyReader body) {
        }

        /**
         * A MAIL_WAITING push, decoded: {@code count} entries wait in this account's mailbox;
         * fetch them with {@link #mailFetch}. Called just before the same push reaches
         * {@link #onPush} with its raw body, so a listener that dispatches pushes by opcode keeps
         * working; implement one of the two for it, not both.
         */
        default void onMailWaiting(RegistryClient client, long count) {
        }

        /** An ERROR not tied to a request (correlation 0), e.g. before a close. */
        default void onConnectionError(RegistryClient client, int code, String reason) {
        }

        default void onDisconnected(RegistryClient client, CloseReason reason) {
        }
    }

    /** Writes a request body. */
    @FunctionalInterface
    public interface Body {
        void write(BodyWriter w);
    }

    /** The answer: {@code error} is 0 on success, else an error code with its reason. */
    @FunctionalInterface
    public interface Reply {
        void onReply(int error, String reason, BodyReader body);
    }

    /** The answer to {@link #mailDeposit}: {@code error} 0 and the expiry, or an error code and its reason. */
    @FunctionalInterface
    public interface DepositReply {
        void onDeposited(int error, String reason, long expiresAtMillis);
    }

    /** The answer to {@link #mailFetch}: {@code error} 0 and the page, or an error code (page null). */
    @FunctionalInterface
    public interface FetchReply {
        void onPage(int error, String reason, MailPage page);
    }

    private static final Body EMPTY = w -> { };

    private final EventLoop loop;
    private final Listener listener;
    private final LongObjectMap<Reply> pending = new LongObjectMap<>();
    private final Header header = new Header();
    private final BodyWriter writer = new BodyWriter();
    private final BodyReader reader = new BodyReader();
    private final int maxFrame;
    private TcpConnection connection;
    private boolean connected;
    private int nextCorrelation = 1;

    private RegistryClient(EventLoop loop, Listener listener, int maxFrame) {
        this.loop = loop;
        this.listener = listener;
        this.maxFrame = maxFrame;
    }

    /**
     * Connects in plaintext; only for {@code --insecure-plaintext} registries. The listener hears
     * onConnected, or onDisconnected(CONNECT_FAILED). Loop thread only.
     */
    public static RegistryClient connect(EventLoop loop, InetSocketAddress server, Listener listener) throws IOException {
        return connect(loop, server, listener, null);
    }

    /**
     * Connects over TLS 1.3 ({@code tls} null: plaintext). onConnected comes once the handshake
     * is done; a refused handshake ends in onDisconnected(TLS_FAILED), and
     * {@link #tlsFailure()} says why (a changed server key among the causes, for instance).
     * Keep one {@code SSLContext} per process so that reconnects resume. Loop thread only.
     */
    public static RegistryClient connect(EventLoop loop, InetSocketAddress server, Listener listener, TlsConfig tls)
            throws IOException {
        RegistryClient c = new RegistryClient(loop, listener, TcpConfig.DEFAULT.maxFrameLength);
        c.connection = TcpConnection.connect(loop, server, c, TcpConfig.DEFAULT, tls);
        return c;
    }

    /** Why the TLS handshake failed, or null. */
    public Throwable tlsFailure() {
        return connection == null ? null : connection.tlsFailure();
    }

    /**
     * The RFC 5929 {@code tls-server-end-point} value of this connection's server certificate, for
     * SCRAM-SHA-256-PLUS; null on a plaintext connection or before the handshake.
     */
    public byte[] channelBinding() {
        if (connection == null || !connection.isTls() || connection.tlsSession() == null) {
            return null;
        }
        try {
            return parley.core.tls.ChannelBinding.client(connection.tlsSession());
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return null;
        }
    }

    public boolean isConnected() {
        return connected;
    }

    public int pendingRequests() {
        return pending.size();
    }

    public EventLoop loop() {
        return loop;
    }

    public TcpConnection connection() {
        return connection;
    }

    /** Sends a request with an empty body. */
    public int request(int opcode, Reply reply) {
        return request(opcode, EMPTY, reply);
    }

    /** Sends a request and returns its correlation id; the reply comes once, on the loop. */
    public int request(int opcode, Body body, Reply reply) {
        loop.assertInLoop();
        int correlation = nextCorrelation();
        if (!connected) {
            reply.onReply(CONNECTION_LOST, "not connected to the registry", null);
            return correlation;
        }
        ByteBuffer buf = connection.scratch();
        buf.limit(maxFrame);
        writer.wrap(buf, Header.LENGTH);
        body.write(writer);
        int cls = RegistryOpcodes.classOf(opcode) == 0 ? MessageClass.COMMAND : RegistryOpcodes.classOf(opcode);
        header.wrap(buf, 0).set(cls, opcode, 0, correlation, writer.length());
        buf.limit(Header.LENGTH + writer.length()).position(0);
        pending.put(correlation, reply);
        connection.write(buf);
        return correlation;
    }

    /**
     * Encodes a request frame once, for callers that send the same request again and again (load
     * tools): {@link #request(ByteBuffer, Reply)} then only stamps a fresh correlation id on it.
     */
    public static ByteBuffer encode(int opcode, Body body) {
        ByteBuffer buf = ByteBuffer.allocate(TcpConfig.DEFAULT.maxFrameLength);
        BodyWriter w = new BodyWriter().wrap(buf, Header.LENGTH);
        body.write(w);
        int cls = RegistryOpcodes.classOf(opcode) == 0 ? MessageClass.COMMAND : RegistryOpcodes.classOf(opcode);
        new Header().wrap(buf, 0).set(cls, opcode, 0, 0, w.length());
        buf.limit(Header.LENGTH + w.length());
        return ByteBuffer.allocate(buf.limit()).put(buf).flip();
    }

    /**
     * Sends a frame made by {@link #encode} (position to limit) under a fresh correlation id, which
     * is written into the frame; the frame's position is left where it was, ready for the next use.
     */
    public int request(ByteBuffer frame, Reply reply) {
        loop.assertInLoop();
        int correlation = nextCorrelation();
        if (!connected) {
            reply.onReply(CONNECTION_LOST, "not connected to the registry", null);
            return correlation;
        }
        int at = frame.position();
        frame.putInt(at + Header.CORRELATION_OFFSET, correlation);
        pending.put(correlation, reply);
        connection.write(frame);
        frame.position(at);
        return correlation;
    }

    // ---- the mailbox (PROTOCOL.md 7.10) ---------------------------------------------------------

    /**
     * MAIL_DEPOSIT: leaves {@code blob} (sealed by the caller; 1 to 32,768 bytes) for contact
     * {@code recipient} under {@code messageId}. The reply comes once the deposit is durable; a
     * repeat with the same id gets the same answer and stores nothing new. A reply that does not
     * decode is reported as MALFORMED_BODY.
     */
    public int mailDeposit(String recipient, long messageId, byte[] blob, DepositReply reply) {
        return request(RegistryOpcodes.MAIL_DEPOSIT, w -> MailDeposit.write(w, recipient, messageId, blob), MailReplies.deposit(reply));
    }

    /**
     * MAIL_FETCH: up to {@code maxEntries} (1 to 256) entries of this account's mailbox with a
     * sequence above {@code afterSequence} (0 = from the start). Drain by fetching again after
     * {@link MailPage#lastSequence} while {@link MailPage#more}, then {@link #mailAck}.
     */
    public int mailFetch(long afterSequence, int maxEntries, FetchReply reply) {
        return request(RegistryOpcodes.MAIL_FETCH, new MailFetch(afterSequence, maxEntries)::encode, MailReplies.page(reply));
    }

    /**
     * MAIL_ACK: deletes this account's entries with a sequence at or below {@code upToSequence};
     * call it only once they are stored on this device. The empty reply comes once durable.
     */
    public int mailAck(long upToSequence, Reply reply) {
        return request(RegistryOpcodes.MAIL_ACK, new MailAck(upToSequence)::encode, reply);
    }

    private int nextCorrelation() {
        int correlation = nextCorrelation++;
        if (nextCorrelation == 0) {
            nextCorrelation = 1; // 0 is reserved for messages about the connection itself
        }
        return correlation;
    }

    /** Sends raw bytes as they are: for tests that need to break the protocol on purpose. */
    public void sendRaw(ByteBuffer bytes) {
        connection.write(bytes);
    }

    public void close() {
        if (connection != null) {
            connection.close();
        }
    }

    @Override
    public void onOpen(TcpConnection c) {
        connected = true;
        listener.onConnected(this);
    }

    @Override
    public void onFrame(TcpConnection c, ByteBuffer buf, int offset, int length) {
        Header h = header.wrap(buf, offset);
        int op = h.opcode();
        int correlation = h.correlationId();
        BodyReader r = reader.wrap(buf, h.bodyOffset(), length - Header.LENGTH);
        if (op == CoreOpcodes.ERROR) {
            int code = r.u16();
            String reason = r.string(ErrorBody.MAX_REASON_BYTES);
            Reply reply = correlation == 0 ? null : pending.remove(correlation);
            if (reply != null) {
                reply.onReply(code, reason, null);
            } else {
                listener.onConnectionError(this, code, reason);
            }
            return;
        }
        if ((h.flags() & Flags.RESPONSE) != 0) {
            Reply reply = pending.remove(correlation);
            if (reply != null) {
                reply.onReply(0, null, r);
            }
            return;
        }
        if (op == RegistryOpcodes.MAIL_WAITING) {
            int start = r.position();
            long count;
            try {
                count = MailWaiting.decode(r).count();
            } catch (WireException e) {
                listener.onConnectionError(this, e.code(), "bad MAIL_WAITING push: " + e.getMessage());
                return;
            }
            listener.onMailWaiting(this, count);
            r.rewind(start);
        }
        listener.onPush(this, op, r);
    }

    @Override
    public void onConnectFailed(TcpConnection c, IOException cause) {
        // onClosed(CONNECT_FAILED) follows and tells the listener.
    }

    @Override
    public void onClosed(TcpConnection c, CloseReason reason) {
        connected = false;
        // Answer everything still waiting so no caller hangs on a reply that cannot come.
        java.util.List<Reply> waiting = new java.util.ArrayList<>();
        pending.forEachValue(waiting::add);
        pending.clear();
        for (Reply r : waiting) {
            r.onReply(CONNECTION_LOST, "connection to the registry lost (" + reason + ")", null);
        }
        listener.onDisconnected(this, reason);
    }

    /** Names an error code for people, core and registry codes alike. */
    public static String errorName(int code) {
        if (code == CONNECTION_LOST) {
            return "CONNECTION_LOST";
        }
        String core = ErrorCode.coreName(code);
        if (core != null) {
            return core;
        }
        String registry = parley.server.protocol.RegistryErrors.name(code);
        return registry != null ? registry : "ERROR_" + code;
    }
}
