package parley.bench.baseline;

import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorBody;
import parley.core.wire.ErrorCode;
import parley.core.wire.Flags;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.server.protocol.Heartbeat;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.UserEntry;
import parley.server.protocol.UserList;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.List;

/**
 * The floor for `bench registry`: the least a single-threaded java.nio selector server can do per
 * request on this wire format. It reads frames (the 12-byte header and its body length) and answers
 * each with a reply encoded once at start-up, of the shape Parley's registry gives for that opcode,
 * with only the correlation id patched in. No registry logic, no state, no allocation per request:
 * what remains is the kernel and the selector, the limit the Parley registry's design can approach.
 * Kept in bench/ only.
 */
public final class FloorRegistryServer implements AutoCloseable {
    /** Frames larger than this close the connection; the bench sends frames of a few dozen bytes. */
    static final int MAX_FRAME = 64 * 1024;
    /** The name a pre-encoded SEARCH reply carries: as long as the bench's typical account name. */
    public static final String SEARCH_NAME = "b500";
    /** The lease the floor answers a HEARTBEAT with (the registry default). */
    private static final int LEASE_MILLIS = 15_000;
    private static final int READ_BUFFER = 4 * 1024;
    private static final int WRITE_BATCH = 256 * 1024;
    private static final int OPCODES = 256;

    private final Selector selector;
    private final ServerSocketChannel server;
    private final ByteBuffer[] replies = new ByteBuffer[OPCODES];
    private final ByteBuffer out = ByteBuffer.allocateDirect(WRITE_BATCH);
    private volatile boolean running = true;

    /** Per connection: its partial input and any reply bytes the socket would not take yet. */
    private static final class Conn {
        ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER);
        ByteBuffer pending;
    }

    public FloorRegistryServer(InetSocketAddress bind) throws IOException {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.bind(bind, 1024);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        ByteBuffer error = ByteBuffer.allocate(Header.LENGTH + ErrorBody.MAX_REASON_BYTES);
        int length = ErrorBody.encode(error, 0, new Header(), new BodyWriter(), 0, ErrorCode.UNKNOWN_OPCODE, "unknown opcode");
        ByteBuffer unknown = error.limit(length).asReadOnlyBuffer();
        java.util.Arrays.fill(replies, unknown);
        replies[RegistryOpcodes.HEARTBEAT] = reply(MessageClass.CONTROL, RegistryOpcodes.HEARTBEAT,
                w -> Heartbeat.encodeReply(w, LEASE_MILLIS));
        replies[RegistryOpcodes.SEARCH] = reply(MessageClass.COMMAND, RegistryOpcodes.SEARCH,
                w -> new UserList(List.of(new UserEntry(SEARCH_NAME, PresenceState.OFFLINE, 0))).encode(w));
        replies[RegistryOpcodes.WHO] = reply(MessageClass.COMMAND, RegistryOpcodes.WHO, w -> new UserList(List.of()).encode(w));
    }

    /** A complete reply frame with correlation 0, encoded once. */
    private static ByteBuffer reply(int cls, int opcode, java.util.function.Consumer<BodyWriter> body) {
        ByteBuffer b = ByteBuffer.allocate(256);
        BodyWriter w = new BodyWriter().wrap(b, Header.LENGTH);
        body.accept(w);
        int bodyLength = w.length();
        b.position(Header.LENGTH + bodyLength);
        b.put(Header.VERSION_OFFSET, (byte) Header.CURRENT_VERSION).put(Header.CLASS_OFFSET, (byte) cls)
                .put(Header.OPCODE_OFFSET, (byte) opcode).put(Header.FLAGS_OFFSET, (byte) Flags.RESPONSE)
                .putInt(Header.BODY_LENGTH_OFFSET, bodyLength);
        b.flip();
        return b.asReadOnlyBuffer();
    }

    public int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    /** Serves until {@link #close}; runs on the calling thread. */
    public void run() throws IOException {
        while (running) {
            selector.select();
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                try {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else {
                        if (key.isWritable()) {
                            flushPending(key);
                        }
                        if (key.isValid() && key.isReadable()) {
                            read(key);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    closeQuietly(key);
                }
            }
        }
        for (SelectionKey key : selector.keys()) {
            closeQuietly(key);
        }
        selector.close();
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.register(selector, SelectionKey.OP_READ, new Conn());
        }
    }

    private void read(SelectionKey key) throws IOException {
        Conn c = (Conn) key.attachment();
        SocketChannel ch = (SocketChannel) key.channel();
        int n = ch.read(c.in);
        if (n < 0) {
            closeQuietly(key);
            return;
        }
        c.in.flip();
        out.clear();
        while (c.in.remaining() >= Header.LENGTH) {
            int start = c.in.position();
            int body = c.in.getInt(start + Header.BODY_LENGTH_OFFSET);
            if (body < 0 || body > MAX_FRAME - Header.LENGTH) {
                closeQuietly(key);
                return;
            }
            if (c.in.remaining() < Header.LENGTH + body) {
                break;
            }
            ByteBuffer reply = replies[c.in.get(start + Header.OPCODE_OFFSET) & 0xFF];
            if (out.remaining() < reply.remaining()) {
                break; // the batch is full: the rest waits for the next readiness
            }
            int at = out.position();
            out.put(reply.duplicate());
            out.putInt(at + Header.CORRELATION_OFFSET, c.in.getInt(start + Header.CORRELATION_OFFSET));
            c.in.position(start + Header.LENGTH + body);
        }
        c.in.compact();
        if (c.in.remaining() == 0) {
            growInput(c);
        }
        out.flip();
        write(key, c, ch);
    }

    /** A frame longer than the input buffer (up to {@link #MAX_FRAME}) gets a larger one. */
    private static void growInput(Conn c) {
        ByteBuffer bigger = ByteBuffer.allocateDirect(Math.min(MAX_FRAME, c.in.capacity() * 2));
        c.in.flip();
        bigger.put(c.in);
        c.in = bigger;
    }

    private void write(SelectionKey key, Conn c, SocketChannel ch) throws IOException {
        if (!out.hasRemaining()) {
            return;
        }
        if (c.pending != null) {
            c.pending = append(c.pending, out);
            return;
        }
        ch.write(out);
        if (out.hasRemaining()) {
            c.pending = append(null, out);
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    private static ByteBuffer append(ByteBuffer pending, ByteBuffer more) {
        int have = pending == null ? 0 : pending.remaining();
        ByteBuffer b = ByteBuffer.allocate(have + more.remaining());
        if (pending != null) {
            b.put(pending);
        }
        b.put(more);
        b.flip();
        return b;
    }

    private void flushPending(SelectionKey key) throws IOException {
        Conn c = (Conn) key.attachment();
        if (c.pending == null) {
            key.interestOps(SelectionKey.OP_READ);
            return;
        }
        ((SocketChannel) key.channel()).write(c.pending);
        if (!c.pending.hasRemaining()) {
            c.pending = null;
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // Closing a broken connection: nothing more to do.
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
    }

    public static void main(String[] args) throws Exception {
        String bind = "127.0.0.1";
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        FloorRegistryServer floor = new FloorRegistryServer(new InetSocketAddress(bind, port));
        System.out.println("listening on tcp " + bind + ":" + floor.port() + ", udp " + bind + ":0");
        System.out.flush();
        parley.server.Signals.onTermination(floor::close);
        floor.run();
    }
}
