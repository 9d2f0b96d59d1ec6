package parley.core.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import parley.core.loop.EventLoop;
import parley.core.wire.CoreOpcodes;
import parley.core.wire.ErrorCode;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.core.wire.WireException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real loopback sockets against a listener on a real loop. */
class TcpConnectionTest {
    static final int ECHO = 0x20;
    static final int BAD_BODY = 0x21;
    static final int THROW = 0x22;
    static final int FLOOD = 0x23;

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private EventLoop loop;
    private int port;
    private TcpConfig config = TcpConfig.DEFAULT.withMaxFrameLength(64 * 1024).withWaterMarks(16 * 1024, 64 * 1024, 512 * 1024);

    /** Echoes frames, and misbehaves on request, recording every event. */
    final class TestHandler implements ConnectionHandler {
        @Override
        public void onFrame(TcpConnection c, ByteBuffer buf, int offset, int length) {
            int op = new Header().wrap(buf, offset).opcode();
            if (op == BAD_BODY) {
                throw new WireException(ErrorCode.MALFORMED_BODY, "test: bad body");
            }
            if (op == THROW) {
                throw new IllegalStateException("test: handler bug");
            }
            if (op == FLOOD) {
                ByteBuffer chunk = ByteBuffer.allocate(32 * 1024);
                for (int i = 0; i < 1000 && c.isOpen(); i++) {
                    chunk.clear();
                    new Header().wrap(chunk, 0).set(MessageClass.DATA, ECHO, 0, i, chunk.capacity() - Header.LENGTH);
                    c.write(chunk);
                }
                return;
            }
            ByteBuffer out = c.scratch();
            out.put(buf.duplicate().limit(offset + length).position(offset)).flip();
            c.write(out);
        }

        @Override
        public void onInputClosed(TcpConnection c) {
            events.add("input-closed");
            c.close(CloseReason.PEER_CLOSED);
        }

        @Override
        public void onWritabilityChanged(TcpConnection c, boolean writable) {
            events.add("writable=" + writable);
        }

        @Override
        public void onConnectFailed(TcpConnection c, IOException e) {
            events.add("connect-failed");
        }

        @Override
        public void onClosed(TcpConnection c, CloseReason reason) {
            events.add("closed:" + reason);
        }
    }

    @BeforeEach
    void start() throws Exception {
        loop = new EventLoop("tcp-test").start();
        CompletableFuture<Integer> bound = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                TcpListener l = TcpListener.bind(loop, new InetSocketAddress("127.0.0.1", 0), c -> new TestHandler(), config);
                bound.complete(l.localAddress().getPort());
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

    private String nextEvent() throws InterruptedException {
        String e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("an event within 10 s").isNotNull();
        return e;
    }

    private void assertEchoWorks(Socket s, int correlation) throws IOException {
        s.getOutputStream().write(BlockingFrames.frame(ECHO, correlation, "ping".getBytes()));
        ByteBuffer f = BlockingFrames.read(s);
        assertThat(f).isNotNull();
        assertThat(new Header().wrap(f, 0).correlationId()).isEqualTo(correlation);
    }

    private void assertErrorThenClose(Socket s, int code) throws IOException {
        ByteBuffer f = BlockingFrames.read(s);
        assertThat(f).as("an ERROR before the close").isNotNull();
        Header h = new Header().wrap(f, 0);
        assertThat(h.opcode()).isEqualTo(CoreOpcodes.ERROR);
        assertThat(h.messageClass()).isEqualTo(MessageClass.CONTROL);
        assertThat(BlockingFrames.errorCode(f)).isEqualTo(code);
        assertThat(BlockingFrames.read(s)).as("end of stream after the ERROR").isNull();
    }

    @Test
    void manyFramesInOneWriteAndOneFrameByteByByte() throws Exception {
        try (Socket s = BlockingFrames.connect(port)) {
            OutputStream out = s.getOutputStream();
            java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 50; i++) {
                batch.write(BlockingFrames.frame(ECHO, i, new byte[i * 7]));
            }
            out.write(batch.toByteArray());
            for (int i = 0; i < 50; i++) {
                ByteBuffer f = BlockingFrames.read(s);
                assertThat(new Header().wrap(f, 0).correlationId()).isEqualTo(i);
                assertThat(f.capacity()).isEqualTo(Header.LENGTH + i * 7);
            }
            byte[] one = BlockingFrames.frame(ECHO, 99, "slow".getBytes());
            for (byte b : one) {
                out.write(b);
                out.flush();
            }
            assertThat(new Header().wrap(BlockingFrames.read(s), 0).correlationId()).isEqualTo(99);
        }
    }

    @Test
    void oversizedFrameGetsAnErrorAndCloseWhileOthersKeepWorking() throws Exception {
        try (Socket good = BlockingFrames.connect(port); Socket bad = BlockingFrames.connect(port)) {
            assertEchoWorks(good, 1);
            ByteBuffer header = ByteBuffer.allocate(Header.LENGTH);
            new Header().wrap(header, 0).set(MessageClass.COMMAND, ECHO, 0, 5, 10 * 1024 * 1024);
            bad.getOutputStream().write(header.array());
            assertErrorThenClose(bad, ErrorCode.FRAME_TOO_LARGE);
            assertThat(nextEvent()).isEqualTo("closed:PROTOCOL_ERROR");
            assertEchoWorks(good, 2);
        }
    }

    @Test
    void garbageGetsAnErrorAndClose() throws Exception {
        try (Socket good = BlockingFrames.connect(port); Socket bad = BlockingFrames.connect(port)) {
            byte[] junk = new byte[300];
            new Random(42).nextBytes(junk);
            junk[0] = 77; // not version 1
            bad.getOutputStream().write(junk);
            assertErrorThenClose(bad, ErrorCode.UNSUPPORTED_VERSION);
            assertEchoWorks(good, 3);
        }
    }

    @Test
    void truncatedFrameGetsAnErrorAndClose() throws Exception {
        try (Socket good = BlockingFrames.connect(port); Socket bad = BlockingFrames.connect(port)) {
            byte[] whole = BlockingFrames.frame(ECHO, 8, new byte[100]);
            bad.getOutputStream().write(whole, 0, 60);
            bad.shutdownOutput();
            assertErrorThenClose(bad, ErrorCode.TRUNCATED_FRAME);
            assertEchoWorks(good, 4);
        }
    }

    @Test
    void badBodyGetsAnErrorWithTheRequestsCorrelationAndTheConnectionStays() throws Exception {
        try (Socket s = BlockingFrames.connect(port)) {
            s.getOutputStream().write(BlockingFrames.frame(BAD_BODY, 1234, new byte[3]));
            ByteBuffer f = BlockingFrames.read(s);
            assertThat(new Header().wrap(f, 0).opcode()).isEqualTo(CoreOpcodes.ERROR);
            assertThat(new Header().wrap(f, 0).correlationId()).isEqualTo(1234);
            assertThat(BlockingFrames.errorCode(f)).isEqualTo(ErrorCode.MALFORMED_BODY);
            assertEchoWorks(s, 5);
        }
    }

    @Test
    void handlerExceptionClosesOnlyThatConnection() throws Exception {
        try (Socket good = BlockingFrames.connect(port); Socket bad = BlockingFrames.connect(port)) {
            assertEchoWorks(good, 1);
            bad.getOutputStream().write(BlockingFrames.frame(THROW, 1, new byte[0]));
            assertThat(BlockingFrames.read(bad)).isNull();
            assertThat(nextEvent()).isEqualTo("closed:HANDLER_ERROR");
            assertEchoWorks(good, 2);
            assertThat(loop.isRunning()).isTrue();
        }
    }

    @Test
    void slowConsumerIsReportedUnwritableThenClosedAtTheHardLimit() throws Exception {
        try (Socket s = BlockingFrames.connect(port)) {
            s.setReceiveBufferSize(4096);
            s.getOutputStream().write(BlockingFrames.frame(FLOOD, 1, new byte[0]));
            // Never read: the server's buffer fills past high, then past hard.
            assertThat(nextEvent()).isEqualTo("writable=false");
            assertThat(nextEvent()).isEqualTo("closed:SLOW_CONSUMER");
        }
    }

    @Test
    void halfCloseResetAndConnectFailureAreDistinctEvents() throws Exception {
        try (Socket s = BlockingFrames.connect(port)) {
            assertEchoWorks(s, 1);
            s.shutdownOutput();
            assertThat(nextEvent()).isEqualTo("input-closed");
            assertThat(nextEvent()).isEqualTo("closed:PEER_CLOSED");
        }
        Socket r = BlockingFrames.connect(port);
        assertEchoWorks(r, 2);
        r.setSoLinger(true, 0); // close with RST
        r.close();
        assertThat(nextEvent()).isEqualTo("closed:PEER_RESET");

        int closedPort;
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = ss.getLocalPort();
        }
        loop.execute(() -> {
            try {
                TcpConnection.connect(loop, new InetSocketAddress("127.0.0.1", closedPort), new TestHandler(), config);
            } catch (IOException e) {
                events.add("connect-failed");
                events.add("closed:CONNECT_FAILED");
            }
        });
        assertThat(nextEvent()).isEqualTo("connect-failed");
        assertThat(nextEvent()).isEqualTo("closed:CONNECT_FAILED");
    }

    @Test
    void clientConnectionsOnTheLoopExchangeFrames() throws Exception {
        CompletableFuture<Integer> reply = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                TcpConnection.connect(loop, new InetSocketAddress("127.0.0.1", port), new ConnectionHandler() {
                    @Override
                    public void onOpen(TcpConnection c) {
                        c.write(ByteBuffer.wrap(BlockingFrames.frame(ECHO, 77, new byte[10])));
                    }

                    @Override
                    public void onFrame(TcpConnection c, ByteBuffer buf, int offset, int length) {
                        reply.complete(new Header().wrap(buf, offset).correlationId());
                        c.close();
                    }
                }, config);
            } catch (IOException e) {
                reply.completeExceptionally(e);
            }
        });
        assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo(77);
    }
}
