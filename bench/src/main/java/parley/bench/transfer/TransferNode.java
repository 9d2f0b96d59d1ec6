package parley.bench.transfer;

import org.HdrHistogram.Histogram;
import parley.core.loop.EventLoop;
import parley.peer.core.ChatPayload;
import parley.peer.file.FileLink;
import parley.peer.file.FilePayload;
import parley.peer.file.PieceBuffers;
import parley.peer.file.TransferWorker;
import parley.peer.file.Transfers;
import parley.peer.net.Faults;
import parley.peer.net.PeerTransport;
import parley.peer.net.ReliableTransport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One side of the transfer benchmark: its own loop, reliable transport (one session to the other
 * side), transfer thread and {@link Transfers} engine, as a peer runs them. Chat probes are
 * timed from send to delivered (the peer's application has it and the ack came back: one RTT).
 */
final class TransferNode implements PeerTransport.Listener, FileLink, FileLink.Events {
    final String peer;
    final long sid;
    final EventLoop loop;
    final TransferWorker worker;
    final PieceBuffers pieces = new PieceBuffers();
    final Histogram chatRtt = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    final AtomicLong offered = new AtomicLong();
    final CountDownLatch received = new CountDownLatch(1);
    ReliableTransport transport;
    Transfers engine;
    private long probeId = -1;
    private long probeSent;
    private final ByteBuffer probe = ByteBuffer.wrap(new byte[]{0x01});

    TransferNode(String name, String peer, long sid, Path dir, double loss) throws Exception {
        this(name, peer, sid, dir, loss, new InetSocketAddress("127.0.0.1", 0));
    }

    /** A side bound to {@code bind} (the lab's namespace address), for a transfer between processes. */
    TransferNode(String name, String peer, long sid, Path dir, double loss, InetSocketAddress bind) throws Exception {
        this.peer = peer;
        this.sid = sid;
        this.loop = new EventLoop("bench-files-" + name).start();
        this.worker = new TransferWorker("bench-files-io-" + name, loop::execute);
        on(() -> {
            transport = ReliableTransport.open(loop, bind, this,
                    loss > 0 ? new Faults(sid, loss, 0, 0) : Faults.NONE, ChatPayload.channelLimit(ChatPayload.MAX_TEXT));
            engine = new Transfers(this, this, worker, pieces, dir.resolve("downloads"), dir.resolve("transfers"),
                    Long.MAX_VALUE, loop::nanoTime);
            // As the peer wires them (Peer): chat is always taken here, file data (stream 1,
            // PROTOCOL.md 9.9) while a piece buffer is free, so a full file intake stalls no chat.
            transport.intakeGates(() -> true, engine::hasRoom);
            pieces.onRoom(() -> loop.execute(transport::resumeIntake));
            return null;
        });
    }

    <T> T on(Callable<T> task) throws Exception {
        return loop.submit(task).get(60, TimeUnit.SECONDS);
    }

    /** Sends one chat-sized probe unless one is in flight. Loop thread. */
    void probe() {
        if (probeId < 0) {
            probeSent = loop.nanoTime();
            probeId = transport.send(sid, probe.clear());
        }
    }

    @Override
    public int onMessage(long sessionId, ByteBuffer payload) {
        int kind = payload.get(payload.position()) & 0xFF;
        return FilePayload.isFileKind(kind) ? engine.onPayload(peer, payload) : 0;
    }

    @Override
    public void onBulkRoom(long sessionId) {
        engine.pump();
    }

    @Override
    public void onDelivered(long sessionId, long messageId) {
        if (messageId == probeId) {
            chatRtt.recordValue(Math.max(1, (loop.nanoTime() - probeSent) / 1000));
            probeId = -1;
        }
    }

    @Override
    public void onFailed(long sessionId, long messageId, String reason) {
        if (messageId == probeId) {
            probeId = -1;
        }
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
    }

    @Override
    public void transfer(long transfer, String user, String direction, long bytes, long size, long rateBps, String state) {
    }

    @Override
    public void received(long transfer, String from, Path path, long size, String sha256) {
        received.countDown();
    }

    /** One line of state for --trace. Loop thread. */
    String trace() {
        var cc = transport.congestion(sid);
        return String.format("%s pace %.1f MB/s bw %.1f MB/s cwnd %d KB inflight %d KB minrtt %d us unsent %d KB pieces %d datagram %d",
                cc.state(), cc.pacingRate() / 1e6, cc.bandwidth() / 1e6, cc.window() / 1024, cc.bytesInFlight() / 1024,
                cc.minRtt() / 1000, transport.unsentBytes(sid) / 1024, pieces.available(), transport.datagramSize(sid));
    }

    /** Bytes of this side's data datagrams now (PROTOCOL.md 9.8). Loop thread. */
    int datagramSize() {
        return transport.datagramSize(sid);
    }

    void close() {
        worker.close();
        loop.close();
    }
}
