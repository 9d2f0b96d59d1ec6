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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A readiness whose bytes fit in one read costs one read system call, not a second one that
 * returns nothing: the read loop stops at a short read. Counted with
 * {@link TcpConnection#socketReads} over real loopback sockets, in request/reply lock step, so
 * that nothing can arrive between a read and the one after it.
 *
 * <p>The regression this guards: the loop compared the byte count with the buffer's limit
 * after {@code flip()}, which is the byte count itself, so no read was ever short and every
 * wake-up paid an empty read (two reads per request on a paced registry).
 */
class SocketReadsTest {
    private static final int OPCODE = 0x30;
    private static final int ROUNDS = 20;

    private final BlockingQueue<TcpConnection> accepted = new LinkedBlockingQueue<>();
    private EventLoop loop;
    private int port;

    @BeforeEach
    void start() throws Exception {
        loop = new EventLoop("reads-test").start();
        CompletableFuture<Integer> bound = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                bound.complete(TcpListener.bind(loop, new InetSocketAddress("127.0.0.1", 0), c -> new ConnectionHandler() {
                    @Override
                    public void onOpen(TcpConnection connection) {
                        accepted.add(connection);
                    }

                    @Override
                    public void onFrame(TcpConnection connection, ByteBuffer buffer, int offset, int length) {
                        int correlation = buffer.getInt(offset + Header.CORRELATION_OFFSET);
                        connection.write(ByteBuffer.wrap(BlockingFrames.frame(OPCODE, correlation, new byte[8])));
                    }
                }, TcpConfig.DEFAULT).localAddress().getPort());
            } catch (IOException e) {
                bound.completeExceptionally(e);
            }
        });
        port = bound.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        loop.close();
    }

    @Test
    void oneSmallFramePerWakeupCostsOneRead() throws Exception {
        try (Socket client = BlockingFrames.connect(port)) {
            TcpConnection server = accepted.poll(10, TimeUnit.SECONDS);
            assertThat(server).as("the server accepted the connection").isNotNull();
            long before = readsOf(server);
            for (int i = 1; i <= ROUNDS; i++) {
                client.getOutputStream().write(BlockingFrames.frame(OPCODE, i, new byte[16]));
                ByteBuffer reply = BlockingFrames.read(client);
                assertThat(reply).isNotNull();
                assertThat(new Header().wrap(reply, 0).correlationId()).isEqualTo(i);
            }
            assertThat(readsOf(server) - before).as("read calls for %d requests sent one at a time", ROUNDS)
                    .isEqualTo(ROUNDS);
        }
    }

    private long readsOf(TcpConnection c) throws Exception {
        CompletableFuture<Long> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(c.socketReads()));
        return f.get(10, TimeUnit.SECONDS);
    }
}
