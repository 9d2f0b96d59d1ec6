package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.loop.ManualClock;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.client.TestTls;

import javax.net.ssl.SSLEngine;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18: hostile bytes on the registry's TLS port. Garbage before and during the handshake is
 * closed, a stalled handshake is closed by the login deadline, and a flood of handshakes does not
 * stop a good client from being served.
 */
class TlsHostileInputTest {
    private static final int READ_TIMEOUT_MS = 10_000;
    @TempDir
    Path dir;

    /** A real TLS 1.3 ClientHello, as the first flight of a client that then says nothing more. */
    private static byte[] clientHello() throws Exception {
        SSLEngine e = TestTls.clientContext().createSSLEngine("registry", 1);
        e.setUseClientMode(true);
        e.setEnabledProtocols(new String[] {"TLSv1.3"});
        ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        e.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        return Arrays.copyOfRange(out.array(), 0, out.limit());
    }

    /** Reads until the registry closes; true when it did within the read timeout. */
    private static boolean closedByRegistry(Socket s) throws Exception {
        s.setSoTimeout(READ_TIMEOUT_MS);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // an alert, perhaps: read on until the close
            }
            return true;
        } catch (java.net.SocketException reset) {
            return true;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        }
    }

    private static void assertServed(ServerFixture fx, String name) throws Exception {
        SyncRegistryClient good = fx.user(name);
        assertThat(good.call(RegistryOpcodes.WHO).ok()).isTrue();
    }

    @Test
    void garbageBeforeTheHandshakeIsClosedAndAGoodClientIsServed() throws Exception {
        try (ServerFixture fx = new ServerFixture(dir);
             Socket s = new Socket(fx.server.tcpAddress().getAddress(), fx.server.tcpAddress().getPort())) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: registry\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(closedByRegistry(s)).isTrue();
            assertServed(fx, "amy");
        }
    }

    @Test
    void garbageDuringTheHandshakeIsClosed() throws Exception {
        try (ServerFixture fx = new ServerFixture(dir);
             Socket s = new Socket(fx.server.tcpAddress().getAddress(), fx.server.tcpAddress().getPort())) {
            s.getOutputStream().write(clientHello());
            byte[] junkRecord = {0x17, 0x03, 0x03, 0x00, 0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
            s.getOutputStream().write(junkRecord);
            assertThat(closedByRegistry(s)).isTrue();
            assertServed(fx, "amy");
        }
    }

    @Test
    void aStalledHandshakeIsClosedByTheLoginDeadline() throws Exception {
        ManualClock clock = new ManualClock();
        RegistryConfig config = ServerFixture.manyUsers(new RegistryConfig());
        try (ServerFixture fx = new ServerFixture(dir, config, clock);
             Socket s = new Socket(fx.server.tcpAddress().getAddress(), fx.server.tcpAddress().getPort())) {
            byte[] hello = clientHello();
            s.getOutputStream().write(hello, 0, hello.length / 2); // and then nothing
            s.getOutputStream().flush();
            poke(fx); // the registry has accepted it
            s.setSoTimeout(200);
            assertThat(readsNothingYet(s)).as("still open before the deadline").isTrue();
            clock.advance(config.loginTimeoutNanos + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
            poke(fx);
            assertThat(closedByRegistry(s)).isTrue();
            assertServed(fx, "amy");
        }
    }

    private static boolean readsNothingYet(Socket s) throws Exception {
        try {
            s.getInputStream().read();
            return false; // bytes or an EOF: the registry did not wait for the rest
        } catch (java.net.SocketTimeoutException stillOpen) {
            return true;
        }
    }

    @Test
    void aFloodOfHandshakesDoesNotStopAGoodClient() throws Exception {
        RegistryConfig config = ServerFixture.manyUsers(new RegistryConfig());
        config.maxUnauthenticatedPerAddress = 0; // let the flood in: the TLS pool, not the cap, must hold
        List<Socket> flood = new ArrayList<>();
        try (ServerFixture fx = new ServerFixture(dir, config)) {
            byte[] hello = clientHello();
            try {
                for (int i = 0; i < 200; i++) {
                    Socket s = new Socket(fx.server.tcpAddress().getAddress(), fx.server.tcpAddress().getPort());
                    flood.add(s);
                    s.getOutputStream().write(hello); // the registry signs and agrees a key for each
                }
                assertServed(fx, "amy");
                assertServed(fx, "bob");
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
        }
    }

    /** Runs two empty tasks on the loop, so it has looked at its timers since the clock moved. */
    private static void poke(ServerFixture fx) throws Exception {
        for (int i = 0; i < 2; i++) {
            CompletableFuture<Void> ran = new CompletableFuture<>();
            fx.server.loop().execute(() -> ran.complete(null));
            ran.get(10, TimeUnit.SECONDS);
        }
    }
}
