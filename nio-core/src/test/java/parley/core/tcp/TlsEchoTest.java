package parley.core.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.tls.ChannelBinding;
import parley.core.tls.TlsContexts;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Frames over TLS 1.3 between real loopback sockets: echo, split records, large frames, resumption, close. */
class TlsEchoTest {
    @TempDir
    Path dir;
    private final TlsFixture fx = new TlsFixture();
    private final TcpConfig config = TcpConfig.DEFAULT.withMaxFrameLength(256 * 1024)
            .withWaterMarks(16 * 1024, 64 * 1024, 512 * 1024);

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void framesEchoBothWaysBetweenTwoLoopConnectionsIncludingLargeOnes() throws Exception {
        TlsFixture.EchoHandler server = new TlsFixture.EchoHandler();
        int port = fx.listen(config, fx.server(), c -> server);
        TlsFixture.Collector client = new TlsFixture.Collector();
        TcpConnection c = fx.connect(port, client, config, fx.tofuClient(dir));
        assertThat(client.next()).isEqualTo("open");
        assertThat(server.next()).isEqualTo("open");
        int[] sizes = {0, 1, 100, 16 * 1024, 16 * 1024 + 1, 100_000, 256 * 1024 - 12};
        for (int i = 0; i < sizes.length; i++) {
            byte[] f = TlsFixture.frame(TlsFixture.ECHO, i, sizes[i]);
            fx.onLoop(() -> {
                c.write(ByteBuffer.wrap(f));
                return null;
            });
            assertThat((byte[]) client.next()).as("echo of a %d-byte body", sizes[i]).isEqualTo(f);
        }
        // many frames in one write: several records, frames cut across record boundaries
        java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) {
            burst.write(TlsFixture.frame(TlsFixture.ECHO, 1000 + i, i * 37));
        }
        byte[] all = burst.toByteArray();
        fx.onLoop(() -> {
            c.write(ByteBuffer.wrap(all));
            return null;
        });
        for (int i = 0; i < 200; i++) {
            assertThat((byte[]) client.next()).isEqualTo(TlsFixture.frame(TlsFixture.ECHO, 1000 + i, i * 37));
        }
        assertThat(c.isTls()).isTrue();
        assertThat(fx.onLoop(() -> c.tlsSession().getProtocol())).isEqualTo("TLSv1.3");
        byte[] clientBinding = fx.onLoop(() -> ChannelBinding.client(c.tlsSession()));
        byte[] serverBinding = fx.onLoop(() -> ChannelBinding.server(server.last.tlsSession()));
        assertThat(clientBinding).hasSize(32).isEqualTo(serverBinding);

        fx.onLoop(() -> {
            c.close();
            return null;
        });
        assertThat(client.next()).isEqualTo("closed:LOCAL");
        assertThat(server.next()).as("close_notify reaches the server as a half-close").isEqualTo("input-closed");
        assertThat(server.next()).isEqualTo("closed:PEER_CLOSED");
    }

    @Test
    void aFrameSplitAcrossManyRecordsAndRecordsSplitAcrossReads() throws Exception {
        TlsFixture.EchoHandler server = new TlsFixture.EchoHandler();
        int port = fx.listen(config, fx.server(), c -> server);
        SSLContext trustAll = TlsContexts.clientPinned(new parley.core.tls.PinningTrustManager("t", null,
                new parley.core.tls.PinStore(dir.resolve("pins")), "x"));
        // A trickling relay cuts the ciphertext into 7-byte TCP writes, so records arrive in pieces.
        try (TrickleRelay relay = new TrickleRelay(port, 7); SSLSocket s = TlsFixture.blockingClient(trustAll, relay.port())) {
            OutputStream out = s.getOutputStream();
            byte[] f = TlsFixture.frame(TlsFixture.ECHO, 7, 3000);
            for (int i = 0; i < f.length; i += 500) { // each write() is its own record
                out.write(f, i, Math.min(500, f.length - i));
            }
            for (int i = 0; i < 12; i++) { // the next header one byte per record
                out.write(TlsFixture.frame(TlsFixture.ECHO, 8, 5)[i]);
            }
            out.write(TlsFixture.frame(TlsFixture.ECHO, 8, 5), 12, 5);
            assertThat(BlockingFrames.read(s).array()).isEqualTo(f);
            assertThat(BlockingFrames.read(s).array()).isEqualTo(TlsFixture.frame(TlsFixture.ECHO, 8, 5));
        }
    }

    @Test
    void aReconnectResumesTheSessionWithoutAFullHandshake() throws Exception {
        AtomicInteger fullHandshakes = new AtomicInteger();
        KeyManager km = TlsContexts.keyManagers(TlsFixture.SERVER_ID)[0];
        SSLContext serverCtx = TlsContexts.server(new KeyManager[] {new CountingKeyManager((X509ExtendedKeyManager) km, fullHandshakes)});
        TlsFixture.EchoHandler server = new TlsFixture.EchoHandler();
        int port = fx.listen(config, fx.server(serverCtx), c -> server);
        TlsConfig clientTls = fx.tofuClient(dir); // one context, one session cache, for both connections
        for (int round = 0; round < 2; round++) {
            TlsFixture.Collector client = new TlsFixture.Collector();
            TcpConnection c = fx.connect(port, client, config, clientTls);
            assertThat(client.next()).isEqualTo("open");
            byte[] f = TlsFixture.frame(TlsFixture.ECHO, round, 10);
            fx.onLoop(() -> {
                c.write(ByteBuffer.wrap(f));
                return null;
            });
            assertThat((byte[]) client.next()).isEqualTo(f); // the ticket came before the echo
            fx.onLoop(() -> {
                c.close();
                return null;
            });
            assertThat(client.next()).isEqualTo("closed:LOCAL");
        }
        assertThat(fullHandshakes.get()).as("server key choices = full handshakes").isEqualTo(1);
    }

    /** Counts server-side key selections: a resumed (PSK) handshake makes none. */
    static final class CountingKeyManager extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager d;
        private final AtomicInteger count;

        CountingKeyManager(X509ExtendedKeyManager d, AtomicInteger count) {
            this.d = d;
            this.count = count;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            String a = d.chooseEngineServerAlias(keyType, issuers, engine);
            if (a != null) {
                count.incrementAndGet();
            }
            return a;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return d.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return d.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return d.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            String a = d.chooseServerAlias(keyType, issuers, socket);
            if (a != null) {
                count.incrementAndGet();
            }
            return a;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return d.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return d.getPrivateKey(alias);
        }
    }

    /** A plain TCP relay that forwards client-to-server bytes in small writes. */
    static final class TrickleRelay implements AutoCloseable {
        private final java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        private final int chunk;

        TrickleRelay(int target, int chunk) throws Exception {
            this.chunk = chunk;
            Thread t = new Thread(() -> {
                try (Socket in = ss.accept(); Socket out = BlockingFrames.connect(target)) {
                    in.setTcpNoDelay(true);
                    Thread back = new Thread(() -> pump(out, in, 65536));
                    back.setDaemon(true);
                    back.start();
                    pump(in, out, this.chunk);
                } catch (Exception e) {
                    // the test sees the failure on its own socket
                }
            });
            t.setDaemon(true);
            t.start();
        }

        private static void pump(Socket from, Socket to, int chunk) {
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                byte[] b = new byte[chunk];
                int n;
                while ((n = in.read(b)) > 0) {
                    out.write(b, 0, n);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (Exception e) {
                // closed
            }
        }

        int port() {
            return ss.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            ss.close();
        }
    }
}
