package parley.peer.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;
import parley.core.reliable.ReliableConfig;
import parley.peer.core.ChatPayload;
import parley.peer.net.Faults;
import parley.peer.net.PeerTransport;
import parley.peer.net.ReliableTransport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file through the real encrypted channel with 10% of the datagrams lost in each direction
 * (nio-core's in-process fault injection, seeded), each peer on its own loop with its own
 * transfer thread, while chat messages cross the same session: the file arrives whole, every
 * chat message arrives, and the file bytes unsent ahead of each chat message stay within the
 * bulk gate's lead.
 */
class TransferOverChannelTest {
    static final int SIZE = 64 << 20;
    static final int CHATS = 40;
    /** Poked by both nodes' listeners on every chat and offer; the test waits on it. */
    private final Changes changes = new Changes();
    @TempDir
    Path tmp;

    static <T> T on(EventLoop loop, Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(30, TimeUnit.SECONDS);
    }

    final class Node implements PeerTransport.Listener, FileLink, FileLink.Events {
        final String name;
        final String peer;
        final long sid;
        final EventLoop loop;
        final TransferWorker worker;
        final PieceBuffers pieces = new PieceBuffers();
        ReliableTransport transport;
        Transfers engine;
        final List<String> chats = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong offered = new AtomicLong();
        final AtomicReference<Path> received = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        long maxUnsentAtChat;
        /** The highest pacing rate seen at a chat message or a gate admission, bytes per second: the gate's lead follows it. */
        long maxPacingRate;

        Node(String name, String peer, long sid, long seed) throws Exception {
            this.name = name;
            this.peer = peer;
            this.sid = sid;
            this.loop = new EventLoop("files-" + name).start();
            this.worker = new TransferWorker("files-io-" + name, loop::execute);
            on(loop, () -> {
                transport = ReliableTransport.open(loop, new InetSocketAddress("127.0.0.1", 0), this,
                        new Faults(seed, 0.10, 0, 0), ChatPayload.channelLimit(ChatPayload.MAX_TEXT));
                engine = new Transfers(this, this, worker, pieces, tmp.resolve(name).resolve("downloads"),
                        tmp.resolve(name).resolve("transfers"), Long.MAX_VALUE, loop::nanoTime);
                transport.intakeGate(engine::hasRoom);
                pieces.onRoom(() -> loop.execute(transport::resumeIntake));
                return null;
            });
        }

        @Override
        public int onMessage(long sessionId, ByteBuffer payload) {
            int kind = payload.get(payload.position()) & 0xFF;
            if (FilePayload.isFileKind(kind)) {
                return engine.onPayload(peer, payload);
            }
            byte[] b = new byte[payload.remaining()];
            payload.get(b);
            chats.add(new String(b, java.nio.charset.StandardCharsets.UTF_8));
            changes.changed();
            return 0;
        }

        @Override
        public void onBulkRoom(long sessionId) {
            // The gate admits at the pacing rate of the moment (BulkGate#lead): sample it where it
            // admits too, not only at chat times, or a rate peak between chats escapes the bound.
            var cc = transport.congestion(sid);
            if (cc != null) {
                maxPacingRate = Math.max(maxPacingRate, cc.pacingRate());
            }
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
        public void transfer(long transfer, String user, String direction, long bytes, long size, long rateBps, String state) {
        }

        @Override
        public void received(long transfer, String from, Path path, long size, String sha256) {
            received.set(path);
            done.countDown();
            changes.changed();
        }

        void chat(String text) throws Exception {
            on(loop, () -> {
                maxUnsentAtChat = Math.max(maxUnsentAtChat, transport.unsentBytes(sid));
                maxPacingRate = Math.max(maxPacingRate, transport.congestion(sid).pacingRate());
                return transport.send(sid, ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            });
        }

        void close() {
            worker.close();
            loop.close();
        }
    }

    @Test
    void sixtyFourMebibytesThroughTenPercentLossWhileChatFlows() throws Exception {
        Node alice = new Node("alice", "bob", 11, 1);
        Node bob = new Node("bob", "alice", 22, 2);
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
            Path src = TransferPair.randomFile(tmp.resolve("src"), "movie.mkv", SIZE, 9);
            on(alice.loop, () -> {
                alice.engine.send("bob", src, id -> { });
                return null;
            });
            assertThat(changes.await(() -> bob.offered.get() != 0, 60)).as("offer arrived").isTrue();
            on(bob.loop, () -> bob.engine.accept(bob.offered.get()));
            int sentChats = 0;
            for (int i = 0; i < CHATS && bob.done.getCount() > 0; i++) {
                alice.chat("chat " + i);
                bob.chat("back " + i);
                sentChats++;
                int sent = sentChats; // one round at a time, so the chats spread over the transfer
                changes.await(() -> (bob.chats.size() >= sent && alice.chats.size() >= sent)
                        || bob.done.getCount() == 0, 30);
            }
            assertThat(bob.done.await(240, TimeUnit.SECONDS)).as("file received").isTrue();
            assertThat(Files.mismatch(src, bob.received.get())).isEqualTo(-1);
            int sent = sentChats;
            changes.await(() -> bob.chats.size() >= sent && alice.chats.size() >= sent, 30);
            assertThat(sentChats).as("chat sent while the transfer ran").isPositive();
            assertThat(bob.chats).as("every chat message sent during the transfer arrived").hasSize(sentChats)
                    .allMatch(s -> s.startsWith("chat "));
            assertThat(alice.chats).hasSize(sentChats).allMatch(s -> s.startsWith("back "));
            // The bulk gate's lead (BulkGate.LEAD_NANOS, 8 ms) at the pacing rate, or 1 MiB (more than its
            // largest piece) when that is more: on a fast loop 8 ms of sending can exceed 1 MiB.
            long lead = Math.max(1 << 20, alice.maxPacingRate * 8_000_000L / 1_000_000_000L);
            assertThat(alice.maxUnsentAtChat).as("file bytes unsent ahead of a chat message").isLessThanOrEqualTo(lead);
            assertThat(on(bob.loop, () -> bob.engine.forged() + bob.engine.unexpected())).isZero();
            long retransmitted = on(alice.loop, () -> alice.transport.stats(11).retransmissions);
            // Path-MTU probing (PROTOCOL.md 9.8) takes loopback to datagrams of up to 65,507 bytes: at
            // least SIZE / 65,507 of them went, a tenth of them lost; half of that is a safe floor.
            assertThat(retransmitted).as("the loss was real").isGreaterThan(SIZE / ReliableConfig.MAX_UDP_PAYLOAD / 20);
            System.out.printf("64 MiB through 10%% loss: %d retransmissions, %d chats each way, max unsent ahead of chat %d bytes%n",
                    retransmitted, sentChats, alice.maxUnsentAtChat);
        } finally {
            alice.close();
            bob.close();
        }
    }
}
