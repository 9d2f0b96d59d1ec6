package parley.peer.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;
import parley.peer.core.ChatPayload;
import parley.peer.net.Faults;
import parley.peer.net.PeerTransport;
import parley.peer.net.ReliableTransport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.peer.file.TransferOverChannelTest.on;

/**
 * Issue 15, "chat messages keep flowing during a transfer": two peers on real loopback sockets,
 * a file moving between them, and the receiver's file intake stalled (its gate says no, as when
 * every piece buffer waits for the disk). The receiver's gates are wired as the peer wires them
 * ({@link ReliableTransport#intakeGates}): chat sent meanwhile arrives, in order, while the file
 * does not move; once the intake frees up, the file completes intact.
 */
class ChatDuringStalledTransferTest {
    static final int SIZE = 16 << 20;
    static final int CHATS = 20;
    /** Poked by both nodes' listeners on every chat and offer; the test waits on it. */
    private final Changes changes = new Changes();
    @TempDir
    Path tmp;

    final class Node implements PeerTransport.Listener, FileLink, FileLink.Events {
        final String peer;
        final long sid;
        final EventLoop loop;
        final TransferWorker worker;
        final PieceBuffers pieces = new PieceBuffers();
        final List<String> chats = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong offered = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicReference<Path> received = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        /** Set to play a full file intake: the file gate says no whatever the piece buffers say. */
        volatile boolean fileIntakeFull;
        ReliableTransport transport;
        Transfers engine;

        Node(String name, String peer, long sid) throws Exception {
            this.peer = peer;
            this.sid = sid;
            this.loop = new EventLoop("stall-" + name).start();
            this.worker = new TransferWorker("stall-io-" + name, loop::execute);
            on(loop, () -> {
                transport = ReliableTransport.open(loop, new InetSocketAddress("127.0.0.1", 0), this, Faults.NONE,
                        ChatPayload.channelLimit(ChatPayload.MAX_TEXT));
                engine = new Transfers(this, this, worker, pieces, tmp.resolve(name).resolve("downloads"),
                        tmp.resolve(name).resolve("transfers"), Long.MAX_VALUE, loop::nanoTime);
                BooleanSupplier fileRoom = () -> !fileIntakeFull && engine.hasRoom();
                transport.intakeGates(() -> true, fileRoom);
                pieces.onRoom(() -> loop.execute(transport::resumeIntake));
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
        public void offer(String from, long transfer, String n, long size, String sha256) {
            offered.set(transfer);
            changes.changed();
        }

        @Override
        public void transfer(long transfer, String user, String direction, long b, long size, long rateBps, String state) {
            bytes.set(b);
        }

        @Override
        public void received(long transfer, String from, Path path, long size, String sha256) {
            received.set(path);
            done.countDown();
        }

        void close() {
            worker.close();
            loop.close();
        }
    }

    void await(BooleanSupplier condition, long seconds, String what) throws InterruptedException {
        assertThat(changes.await(condition, seconds)).as(what).isTrue();
    }

    @Test
    void chatArrivesWhileTheReceiversFileIntakeIsStalled() throws Exception {
        Node alice = new Node("alice", "bob", 11);
        Node bob = new Node("bob", "alice", 22);
        try {
            X25519KeyPair ka = X25519KeyPair.generate();
            X25519KeyPair kb = X25519KeyPair.generate();
            InetSocketAddress aAddr = on(alice.loop, () -> alice.transport.localAddress());
            InetSocketAddress bAddr = on(bob.loop, () -> bob.transport.localAddress());
            on(alice.loop, () -> {
                alice.transport.open(11, 22, ka, kb.publicKey(), bAddr);
                return null;
            });
            on(bob.loop, () -> {
                bob.transport.open(22, 11, kb, ka.publicKey(), aAddr);
                return null;
            });
            Path src = TransferPair.randomFile(tmp.resolve("src"), "big.bin", SIZE, 5);
            on(alice.loop, () -> {
                alice.engine.send("bob", src, id -> { });
                return null;
            });
            await(() -> bob.offered.get() != 0, 60, "the offer arrived");
            bob.fileIntakeFull = true; // full before the first file byte: none is taken until it frees up
            on(bob.loop, () -> bob.engine.accept(bob.offered.get()));
            for (int i = 0; i < CHATS; i++) {
                byte[] text = ("during " + i).getBytes(StandardCharsets.UTF_8);
                on(alice.loop, () -> alice.transport.send(11, ByteBuffer.wrap(text)));
            }
            await(() -> bob.chats.size() == CHATS, 60, "every chat message arrived while the file intake was stalled");
            for (int i = 0; i < CHATS; i++) {
                assertThat(bob.chats.get(i)).isEqualTo("during " + i);
            }
            assertThat(bob.done.getCount()).as("the file did not move meanwhile").isOne();
            assertThat(bob.bytes.get()).isZero();

            bob.fileIntakeFull = false;
            on(bob.loop, () -> {
                bob.transport.resumeIntake();
                return null;
            });
            assertThat(bob.done.await(120, TimeUnit.SECONDS)).as("the file completes once the intake frees up").isTrue();
            assertThat(Files.mismatch(src, bob.received.get())).isEqualTo(-1);
            assertThat(on(bob.loop, () -> bob.engine.forged() + bob.engine.unexpected())).isZero();
        } finally {
            alice.close();
            bob.close();
        }
    }
}
