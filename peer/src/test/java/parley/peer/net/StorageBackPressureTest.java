package parley.peer.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;
import parley.peer.store.LocalStore;
import parley.peer.store.StoreWorker;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19 item 10 on real sockets: a contact floods a peer whose disk is stuck. The peer's
 * storage queue must stay bounded (the transport stops taking messages, the window closes, the
 * contact's sends are refused), and once the disk moves every message is stored, none lost.
 */
class StorageBackPressureTest {
    static final int CAPACITY = 64;
    static final int MAX_MESSAGE = 16 * 1024;

    @TempDir
    Path dir;

    static <T> T on(EventLoop loop, Callable<T> task) throws Exception {
        return loop.submit(task).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aFloodIntoAStuckDiskIsHeldBackAtTheSenderAndNothingIsLost() throws Exception {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        CountDownLatch diskStuck = new CountDownLatch(1);
        AtomicInteger maxQueued = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();
        try (EventLoop sender = new EventLoop("flooder").start();
             EventLoop receiver = new EventLoop("victim").start()) {
            StoreWorker storage = new StoreWorker("victim-storage", receiver::execute, CAPACITY);
            try {
                CountDownLatch opened = new CountDownLatch(1);
                storage.open(LocalStore.fileFor(dir, "victim"), s -> null, (r, e) -> opened.countDown());
                assertThat(opened.await(30, TimeUnit.SECONDS)).isTrue();
                storage.write(s -> {
                    diskStuck.await();
                    return null;
                });
                PeerTransport.Listener store = new PeerTransport.Listener() {
                    @Override
                    public int onMessage(long sessionId, ByteBuffer payload) {
                        storage.write(s -> {
                            s.addIncoming(stored.incrementAndGet(), "flooder", "x".repeat(payload.remaining()), 0);
                            return null;
                        });
                        maxQueued.accumulateAndGet(storage.queued(), Math::max);
                        return 0;
                    }

                    @Override
                    public void onDelivered(long sessionId, long messageId) {
                    }

                    @Override
                    public void onFailed(long sessionId, long messageId, String reason) {
                    }

                    @Override
                    public void onSessionDead(long sessionId, String reason) {
                    }
                };
                ReliableTransport victim = on(receiver, () -> {
                    ReliableTransport t = ReliableTransport.open(receiver, any, store, Faults.NONE, MAX_MESSAGE);
                    t.intakeGate(storage::hasRoom);
                    storage.onRoom(t::resumeIntake);
                    return t;
                });
                Counting delivered = new Counting();
                ReliableTransport flooder = on(sender, () -> ReliableTransport.open(sender, any, delivered, Faults.NONE, MAX_MESSAGE));
                X25519KeyPair kv = X25519KeyPair.generate();
                X25519KeyPair kf = X25519KeyPair.generate();
                on(receiver, () -> {
                    victim.open(1, 2, kv, kf.publicKey(), flooder.localAddress());
                    return null;
                });
                on(sender, () -> {
                    flooder.open(2, 1, kf, kv.publicKey(), victim.localAddress());
                    return null;
                });
                // Flood until the channel refuses: that is the back-pressure reaching the sender.
                byte[] payload = new byte[1000];
                int sent = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (true) {
                    long id = on(sender, () -> flooder.send(2, ByteBuffer.wrap(payload)));
                    if (id == PeerTransport.REFUSED) {
                        break;
                    }
                    sent++;
                    assertThat(System.nanoTime()).as("the sender was never held back").isLessThan(deadline);
                }
                // Let whatever is in flight land while the disk is still stuck.
                Thread.sleep(200);
                assertThat(maxQueued.get()).as("storage queue stays bounded").isLessThanOrEqualTo(CAPACITY + 1);
                assertThat(delivered.count.get()).isLessThan(sent);

                diskStuck.countDown();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (delivered.count.get() < sent) {
                    assertThat(System.nanoTime()).as("not every message arrived").isLessThan(until);
                    Thread.sleep(5);
                }
                CountDownLatch counted = new CountDownLatch(1);
                int[] rows = new int[1];
                storage.read(s -> s.history("flooder", Integer.MAX_VALUE), r -> {
                    rows[0] = r.size();
                    counted.countDown();
                }, e -> counted.countDown());
                assertThat(counted.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(rows[0]).isEqualTo(sent);
                assertThat(maxQueued.get()).isLessThanOrEqualTo(CAPACITY + 1);
            } finally {
                storage.close();
            }
        }
    }

    static final class Counting implements PeerTransport.Listener {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public int onMessage(long sessionId, ByteBuffer payload) {
            return 0;
        }

        @Override
        public void onDelivered(long sessionId, long messageId) {
            count.incrementAndGet();
        }

        @Override
        public void onFailed(long sessionId, long messageId, String reason) {
        }

        @Override
        public void onSessionDead(long sessionId, String reason) {
        }
    }
}
