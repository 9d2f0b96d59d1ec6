package parley.peer.file;

import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;
import parley.peer.core.ChatPayload;
import parley.peer.net.Faults;
import parley.peer.net.PeerTransport;
import parley.peer.net.ReliableTransport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One side of a file transfer over the real encrypted channel, for the channel tests: its own
 * loop and transfer thread, a {@link ReliableTransport} on loopback with the receiver's gates
 * wired as the peer wires them (chat always; file data while a piece buffer is free, and unless a
 * test plays a full intake), and what arrived (chats, the offer, progress, the file). Every
 * change it records pokes {@link Changes}, which the test waits on.
 */
class ChannelNode implements PeerTransport.Listener, FileLink, FileLink.Events {
    final String peer;
    final long sid;
    final EventLoop loop;
    final TransferWorker worker;
    final PieceBuffers pieces = new PieceBuffers();
    final Changes changes;
    final List<String> chats = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong offered = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicReference<Path> received = new AtomicReference<>();
    final CountDownLatch done = new CountDownLatch(1);
    /** Set to play a full file intake: the file gate says no whatever the piece buffers say. */
    volatile boolean fileIntakeFull;
    ReliableTransport transport;
    Transfers engine;

    ChannelNode(String name, String peer, long sid, Path dir, Faults faults, Changes changes) throws Exception {
        this.peer = peer;
        this.sid = sid;
        this.changes = changes;
        this.loop = new EventLoop("files-" + name).start();
        this.worker = new TransferWorker("files-io-" + name, loop::execute);
        on(loop, () -> {
            transport = ReliableTransport.open(loop, new InetSocketAddress("127.0.0.1", 0), this, faults,
                    ChatPayload.channelLimit(ChatPayload.MAX_TEXT));
            engine = new Transfers(this, this, worker, pieces, dir.resolve(name).resolve("downloads"),
                    dir.resolve(name).resolve("transfers"), Long.MAX_VALUE, loop::nanoTime);
            transport.intakeGates(() -> true, () -> !fileIntakeFull && engine.hasRoom());
            pieces.onRoom(() -> loop.execute(transport::resumeIntake));
            return null;
        });
    }

    /** Runs {@code task} on {@code loop} and returns its result (30 s at most). */
    static <T> T on(EventLoop loop, Callable<T> task) throws Exception {
        return loop.submit(task).get(30, TimeUnit.SECONDS);
    }

    /** Opens the session between {@code a} and {@code b} (fresh keys; ids their {@link #sid}s). */
    static void connect(ChannelNode a, ChannelNode b) throws Exception {
        X25519KeyPair ka = X25519KeyPair.generate();
        X25519KeyPair kb = X25519KeyPair.generate();
        InetSocketAddress aAddr = on(a.loop, () -> a.transport.localAddress());
        InetSocketAddress bAddr = on(b.loop, () -> b.transport.localAddress());
        on(a.loop, () -> {
            a.transport.open(a.sid, b.sid, ka, kb.publicKey(), bAddr);
            return null;
        });
        on(b.loop, () -> {
            b.transport.open(b.sid, a.sid, kb, ka.publicKey(), aAddr);
            return null;
        });
    }

    @Override
    public int onMessage(long sessionId, ByteBuffer payload) {
        if (FilePayload.isFileKind(payload.get(payload.position()) & 0xFF)) {
            return engine.onPayload(peer, payload);
        }
        byte[] b = new byte[payload.remaining()];
        payload.get(b);
        chats.add(new String(b, StandardCharsets.UTF_8));
        changes.changed();
        return 0;
    }

    @Override
    public void onBulkRoom(long sessionId) {
        engine.pump();
    }

    @Override
    public void onDelivered(long sessionId, long messageId) {
    }

    @Override
    public void onFailed(long sessionId, long messageId, String reason) {
    }

    @Override
    public void onSessionDead(long sessionId, String reason) {
        engine.onSessionDown(peer);
    }

    @Override
    public boolean send(String user, ByteBuffer payload) {
        return transport.send(sid, payload) != PeerTransport.REFUSED;
    }

    @Override
    public boolean sendBulk(String user, ByteBuffer payload) {
        return transport.sendBulk(sid, payload) != PeerTransport.REFUSED;
    }

    @Override
    public void offer(String from, long transfer, String name, long size, String sha256) {
        offered.set(transfer);
        changes.changed();
    }

    @Override
    public void transfer(long transfer, String user, String direction, long b, long size, long rateBps, String state) {
        bytes.set(b);
        changes.changed();
    }

    @Override
    public void received(long transfer, String from, Path path, long size, String sha256) {
        received.set(path);
        done.countDown();
        changes.changed();
    }

    void close() {
        worker.close();
        loop.close();
    }
}
