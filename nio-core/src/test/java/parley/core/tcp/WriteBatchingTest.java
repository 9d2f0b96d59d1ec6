package parley.core.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import parley.core.loop.EventLoop;
import parley.core.wire.Header;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes made inside {@link EventLoop#runBatchingWrites} leave in one socket write per
 * connection, counted by {@link TcpConnection#socketWrites}, over real loopback sockets.
 */
class WriteBatchingTest {
    private static final int OPCODE = 0x30;
    private static final int REPLIES = 64;

    private static final int BURST_BODY = 60 * 1024;
    // 6 MB: more than a loopback socket buffers (tcp_wmem tops out at 4 MB), so the kernel
    // refuses part of some mid-read flush of the 256 KiB shared buffer.
    private static final int BURST_FRAMES = 100;

    private final CompletableFuture<Void> burstWritten = new CompletableFuture<>();
    private final BlockingQueue<TcpConnection> accepted = new LinkedBlockingQueue<>();
    private final TcpConfig config = TcpConfig.DEFAULT.withMaxFrameLength(1024 * 1024)
            .withWaterMarks(4 * 1024 * 1024, 8 * 1024 * 1024, 32 * 1024 * 1024);
    private EventLoop loop;
    private int port;

    @BeforeEach
    void start() throws Exception {
        loop = new EventLoop("batching-test").start();
        port = onLoop(() -> {
            try {
                return TcpListener.bind(loop, new InetSocketAddress("127.0.0.1", 0), c -> new ConnectionHandler() {
                    @Override
                    public void onOpen(TcpConnection connection) {
                        accepted.add(connection);
                    }

                    @Override
                    public void onFrame(TcpConnection connection, ByteBuffer buffer, int offset, int length) {
                        // A request for a burst: more replies than the shared buffer holds, in one read.
                        for (int i = 0; i < BURST_FRAMES; i++) {
                            reply(connection, i, BURST_BODY);
                        }
                        burstWritten.complete(null);
                    }
                }, config).localAddress().getPort();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @AfterEach
    void stop() {
        loop.close();
    }

    private <T> T onLoop(Supplier<T> s) throws Exception {
        return loop.submit(s::get).get(10, TimeUnit.SECONDS);
    }

    private TcpConnection serverSide() throws InterruptedException {
        TcpConnection c = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(c).as("the server accepted the connection").isNotNull();
        return c;
    }

    private static void reply(TcpConnection c, int correlation, int bodyBytes) {
        c.write(ByteBuffer.wrap(BlockingFrames.frame(OPCODE, correlation, new byte[bodyBytes])));
    }

    private static void assertFrames(Socket s, int first, int count, int bodyBytes) throws IOException {
        for (int i = first; i < first + count; i++) {
            ByteBuffer f = BlockingFrames.read(s);
            assertThat(f).as("frame %d", i).isNotNull();
            assertThat(new Header().wrap(f, 0).correlationId()).isEqualTo(i);
            assertThat(f.capacity()).isEqualTo(Header.LENGTH + bodyBytes);
        }
    }

    @Test
    void repliesOfOneScopeToOneConnectionLeaveInOneWrite() throws Exception {
        try (Socket client = BlockingFrames.connect(port)) {
            TcpConnection c = serverSide();
            long unbatched = onLoop(() -> {
                long before = c.socketWrites();
                for (int i = 0; i < REPLIES; i++) {
                    reply(c, i, 40);
                }
                return c.socketWrites() - before;
            });
            assertThat(unbatched).as("outside a scope each reply is its own write").isEqualTo(REPLIES);
            assertFrames(client, 0, REPLIES, 40);

            long batched = onLoop(() -> {
                long before = c.socketWrites();
                loop.runBatchingWrites(() -> {
                    for (int i = 0; i < REPLIES; i++) {
                        reply(c, REPLIES + i, 40);
                    }
                    assertThat(c.socketWrites()).as("nothing is written before the scope ends").isEqualTo(before);
                });
                return c.socketWrites() - before;
            });
            assertThat(batched).isEqualTo(1);
            assertFrames(client, REPLIES, REPLIES, 40);
        }
    }

    @Test
    void interleavedRepliesToTwoConnectionsLeaveInOneWriteEach() throws Exception {
        try (Socket a = BlockingFrames.connect(port); Socket b = BlockingFrames.connect(port)) {
            TcpConnection ca = serverSide();
            TcpConnection cb = serverSide();
            long[] writes = onLoop(() -> {
                long beforeA = ca.socketWrites();
                long beforeB = cb.socketWrites();
                loop.runBatchingWrites(() -> {
                    for (int i = 0; i < REPLIES; i++) {
                        reply(ca, i, 10);
                        reply(cb, i, 20);
                    }
                });
                return new long[] {ca.socketWrites() - beforeA, cb.socketWrites() - beforeB};
            });
            assertThat(writes).containsExactly(1, 1);
            // Which accepted connection is which client is not known: each got its own frames, in order.
            ByteBuffer first = BlockingFrames.read(a);
            int aBody = first.capacity() - Header.LENGTH;
            assertThat(new Header().wrap(first, 0).correlationId()).isZero();
            assertFrames(a, 1, REPLIES - 1, aBody);
            assertFrames(b, 0, REPLIES, aBody == 10 ? 20 : 10);
        }
    }

    @Test
    void moreThanTheSharedBufferStillLeavesWholeAndInOrder() throws Exception {
        int body = 60 * 1024; // five of these overflow the shared 256 KiB buffer
        int count = 12;
        try (Socket client = BlockingFrames.connect(port)) {
            TcpConnection c = serverSide();
            CompletableFuture<Void> read = CompletableFuture.runAsync(() -> {
                try {
                    assertFrames(client, 0, count, body);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            onLoop(() -> {
                loop.runBatchingWrites(() -> {
                    for (int i = 0; i < count; i++) {
                        reply(c, i, body);
                    }
                });
                return null;
            });
            read.get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A read whose replies overflow the shared buffer while the socket refuses part of it: the
     * refused part waits in the outbound buffer, and the replies after it must queue behind it
     * instead of gathering in a fresh batch that would leave last.
     */
    @Test
    void repliesOfOneReadStayInOrderWhenTheSocketRefusesPartOfAFullBatch() throws Exception {
        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(4096); // and do not read yet: the server's socket fills
            client.connect(new InetSocketAddress("127.0.0.1", port));
            client.setSoTimeout(10_000);
            TcpConnection c = serverSide();
            client.getOutputStream().write(BlockingFrames.frame(OPCODE, 0, new byte[0]));
            burstWritten.get(10, TimeUnit.SECONDS);
            assertThat(onLoop(c::pendingBytes)).as("precondition: the socket refused part of the burst").isPositive();
            assertFrames(client, 0, BURST_FRAMES, BURST_BODY);
        }
    }

    @Test
    void aConnectionClosedInsideTheScopeFirstSendsWhatItWasGiven() throws Exception {
        try (Socket client = BlockingFrames.connect(port)) {
            TcpConnection c = serverSide();
            onLoop(() -> {
                loop.runBatchingWrites(() -> {
                    reply(c, 1, 8);
                    reply(c, 2, 8);
                    c.close();
                    reply(c, 3, 8); // after the close: dropped
                });
                return null;
            });
            assertFrames(client, 1, 2, 8);
            assertThat(BlockingFrames.read(client)).as("end of stream").isNull();
        }
    }

    @Test
    void aSecondConnectionWithoutTheSharedBufferIsAlsoCorked() throws Exception {
        try (Socket a = BlockingFrames.connect(port); Socket b = BlockingFrames.connect(port)) {
            TcpConnection ca = serverSide();
            TcpConnection cb = serverSide();
            long[] during = new long[2];
            long[] writes = onLoop(() -> {
                long beforeA = ca.socketWrites();
                long beforeB = cb.socketWrites();
                loop.runBatchingWrites(() -> {
                    reply(ca, 0, 4); // ca takes the shared buffer
                    reply(cb, 0, 4); // cb holds its bytes in its own buffer
                    during[0] = ca.socketWrites() - beforeA;
                    during[1] = cb.socketWrites() - beforeB;
                });
                return new long[] {ca.socketWrites() - beforeA, cb.socketWrites() - beforeB};
            });
            assertThat(during).containsExactly(0, 0);
            assertThat(writes).containsExactly(1, 1);
            assertFrames(a, 0, 1, 4);
            assertFrames(b, 0, 1, 4);
            // The connection's own buffer was drained: nothing is left pending.
            assertThat(onLoop(() -> ca.pendingBytes() + cb.pendingBytes())).isZero();
        }
    }
}
