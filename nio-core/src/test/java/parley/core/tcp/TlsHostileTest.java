package parley.core.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.tls.PinStore;
import parley.core.tls.PinningTrustManager;
import parley.core.tls.TlsContexts;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile input on TLS: garbage, stalls, slow consumers and handshake floods; the loop keeps serving. */
class TlsHostileTest {
    @TempDir
    Path dir;
    private final TlsFixture fx = new TlsFixture();
    private final TcpConfig config = TcpConfig.DEFAULT.withMaxFrameLength(64 * 1024)
            .withWaterMarks(16 * 1024, 64 * 1024, 512 * 1024);

    @AfterEach
    void stop() {
        fx.close();
    }

    private SSLContext pinnedClient() throws Exception {
        return TlsContexts.clientPinned(new PinningTrustManager("t", null, new PinStore(dir.resolve("pins")), "x"));
    }

    private void assertEchoWorks(int port) throws Exception {
        try (SSLSocket s = TlsFixture.blockingClient(pinnedClient(), port)) {
            byte[] f = TlsFixture.frame(TlsFixture.ECHO, 42, 100);
            s.getOutputStream().write(f);
            assertThat(BlockingFrames.read(s).array()).isEqualTo(f);
        }
    }

    /** Reads until end of stream or reset; answers the bytes read (an alert, perhaps). */
    private static int drainToEnd(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        int total = 0;
        try {
            int n;
            byte[] b = new byte[4096];
            while ((n = in.read(b)) >= 0) {
                total += n;
            }
        } catch (SocketException reset) {
            // a reset is an end too
        }
        return total;
    }

    @Test
    void plaintextGarbageBeforeTheHandshakeClosesWithAClearReason() throws Exception {
        TlsFixture.EchoHandler server = new TlsFixture.EchoHandler();
        int port = fx.listen(config, fx.server(), c -> server);
        try (Socket s = BlockingFrames.connect(port)) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            drainToEnd(s);
        }
        assertThat(server.await("closed:")).isEqualTo("closed:TLS_FAILED");
        assertEchoWorks(port);
        assertThat(fx.loop.isRunning()).isTrue();
    }

    @Test
    void aBogusHandshakeRecordClosesWithTlsFailedAndTheCause() throws Exception {
        TlsFixture.EchoHandler server = new TlsFixture.EchoHandler();
        TcpConnection[] accepted = new TcpConnection[1];
        int port = fx.listen(config, fx.server(), c -> {
            accepted[0] = c;
            return server;
        });
        try (Socket s = BlockingFrames.connect(port)) {
            // a TLS handshake record header, then a body that is no ClientHello
            byte[] rec = {0x16, 0x03, 0x01, 0x00, 0x08, 1, 0, 0, 4, 9, 9, 9, 9};
            s.getOutputStream().write(rec);
            drainToEnd(s);
        }
        assertThat(server.await("closed:")).isEqualTo("closed:TLS_FAILED");
        assertThat(fx.onLoop(() -> accepted[0].tlsFailure())).isNotNull();
        assertEchoWorks(port);
    }

    @Test
    void garbageAfterTheHandshakeIsABadRecordNotACrash() throws Exception {
        TlsFixture.EchoHandler server = new TlsFixture.EchoHandler();
        int port = fx.listen(config, fx.server(), c -> server);
        Socket raw = BlockingFrames.connect(port);
        SSLSocket s = (SSLSocket) pinnedClient().getSocketFactory().createSocket(raw, "127.0.0.1", port, false);
        s.startHandshake();
        byte[] f = TlsFixture.frame(TlsFixture.ECHO, 1, 10);
        s.getOutputStream().write(f);
        assertThat(BlockingFrames.read(s).array()).isEqualTo(f);
        assertThat(server.next()).isEqualTo("open");
        // an application-data record whose ciphertext is noise: the MAC cannot check
        byte[] bad = new byte[5 + 64];
        bad[0] = 0x17;
        bad[1] = 0x03;
        bad[2] = 0x03;
        bad[4] = 64;
        raw.getOutputStream().write(bad);
        assertThat(server.await("closed:")).isEqualTo("closed:TLS_FAILED");
        raw.close();
        assertEchoWorks(port);
    }

    @Test
    void aStalledHandshakeIsClosedAtTheDeadline() throws Exception {
        TlsFixture.EchoHandler server = new TlsFixture.EchoHandler();
        TlsConfig tls = fx.server().withHandshakeTimeout(TimeUnit.MILLISECONDS.toNanos(300));
        int port = fx.listen(config, tls, c -> server);
        try (Socket s = BlockingFrames.connect(port)) {
            // connected, silent: no ClientHello ever comes
            assertThat(server.await("closed:")).isEqualTo("closed:HANDSHAKE_TIMEOUT");
            assertThat(drainToEnd(s)).isZero();
        }
        assertEchoWorks(port);
    }

    @Test
    void aSlowConsumerIsClosedAtTheHardLimitThroughTls() throws Exception {
        TlsFixture.EchoHandler server = new TlsFixture.EchoHandler();
        int port = fx.listen(config, fx.server(), c -> server);
        try (SSLSocket s = TlsFixture.blockingClient(pinnedClient(), port)) {
            s.getOutputStream().write(BlockingFrames.frame(TlsFixture.FLOOD, 1, new byte[0]));
            // never read: the server's ciphertext piles up past the hard limit
            assertThat(server.await("writable=")).isEqualTo("writable=false");
            assertThat(server.await("closed:")).isEqualTo("closed:SLOW_CONSUMER");
        }
        assertEchoWorks(port);
    }

    @Test
    void aFullHandshakePoolRefusesNewHandshakesWhileEstablishedConnectionsKeepWorking() throws Exception {
        // one worker, blocked; the queue holds 2 jobs
        parley.core.loop.WorkQueue<Runnable> pool = TlsConfig.newTaskPool("tiny", 1, 2);
        CountDownLatch release = new CountDownLatch(1);
        try {
            TlsFixture.EchoHandler server = new TlsFixture.EchoHandler();
            int port = fx.listen(config, TlsConfig.server(TlsContexts.server(TlsFixture.SERVER_ID), pool), c -> server);
            SSLSocket good = TlsFixture.blockingClient(pinnedClient(), port);
            assertThat(server.next()).isEqualTo("open");
            CountDownLatch started = new CountDownLatch(1);
            pool.offer(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            started.await(10, TimeUnit.SECONDS);
            while (pool.offer(() -> { })) {
                // fill the queue behind the blocked worker
            }
            Socket flood = BlockingFrames.connect(port);
            SSLSocket hs = (SSLSocket) pinnedClient().getSocketFactory().createSocket(flood, "127.0.0.1", port, true);
            Thread t = new Thread(() -> {
                try {
                    hs.startHandshake();
                } catch (Exception expected) {
                    // refused
                }
            });
            t.setDaemon(true);
            t.start();
            assertThat(server.await("closed:")).isEqualTo("closed:OVERLOADED");
            byte[] f = TlsFixture.frame(TlsFixture.ECHO, 5, 1000);
            good.getOutputStream().write(f);
            assertThat(BlockingFrames.read(good).array()).as("the established connection is served").isEqualTo(f);
            good.close();
            hs.close();
        } finally {
            release.countDown();
            pool.close();
        }
    }

    @Test
    void earlyWritesBeforeTheHandshakeEndsAreSentAfterItAheadOfWhatOnOpenWrites() throws Exception {
        TlsFixture.EchoHandler server = new TlsFixture.EchoHandler();
        int port = fx.listen(config, fx.server(), c -> server);
        byte[] early = TlsFixture.frame(TlsFixture.ECHO, 3, 50);
        byte[] fromOnOpen = TlsFixture.frame(TlsFixture.ECHO, 4, 60);
        TlsFixture.Collector client = new TlsFixture.Collector() {
            @Override
            public void onOpen(TcpConnection c) {
                super.onOpen(c);
                c.write(ByteBuffer.wrap(fromOnOpen));
            }
        };
        fx.onLoop(() -> {
            TcpConnection c = TcpConnection.connect(fx.loop, new java.net.InetSocketAddress("127.0.0.1", port), client,
                    config, fx.tofuClient(dir));
            c.write(ByteBuffer.wrap(early));
            return c;
        });
        assertThat(client.next()).isEqualTo("open");
        assertThat((byte[]) client.next()).as("the early write first").isEqualTo(early);
        assertThat((byte[]) client.next()).isEqualTo(fromOnOpen);
    }
}
