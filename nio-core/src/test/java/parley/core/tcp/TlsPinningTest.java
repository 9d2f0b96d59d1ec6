package parley.core.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.tls.ChannelBinding;
import parley.core.tls.PinStore;
import parley.core.tls.PinningTrustManager;
import parley.core.tls.ServerIdentity;
import parley.core.tls.ServerKeyChangedException;
import parley.core.tls.TlsContexts;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Pinning over real TLS connections, and channel binding through a TLS-terminating proxy. */
class TlsPinningTest {
    private static final String SERVER = "registry.test:7000";
    @TempDir
    Path dir;
    private final TlsFixture fx = new TlsFixture();
    private final TcpConfig config = TcpConfig.DEFAULT;

    @AfterEach
    void stop() {
        fx.close();
    }

    private TlsConfig client(String expected, PinStore store) throws Exception {
        return TlsConfig.client(TlsContexts.clientPinned(new PinningTrustManager(SERVER, expected, store,
                "run 'parley trust " + SERVER + "'")), fx.tasks);
    }

    private int serve(ServerIdentity id, TlsFixture.EchoHandler h) throws Exception {
        return fx.listen(config, fx.server(TlsContexts.server(id)), c -> h);
    }

    /** Connects; answers the client connection once open, or the close reason. */
    private Object connect(int port, TlsConfig tls, TcpConnection[] out) throws Exception {
        TlsFixture.Collector c = new TlsFixture.Collector();
        out[0] = fx.connect(port, c, config, tls);
        return c.next();
    }

    private static Throwable root(Throwable t) {
        while (t != null && !(t instanceof ServerKeyChangedException)) {
            t = t.getCause();
        }
        return t;
    }

    @Test
    void trustOnFirstUseThenTheSameKeyIsAcceptedAndAChangedOneRefusedUntilThePinIsRemoved() throws Exception {
        PinStore store = new PinStore(dir.resolve("known_servers"));
        ServerIdentity other = TlsFixture.generate("impostor");
        int real = serve(TlsFixture.SERVER_ID, new TlsFixture.EchoHandler());
        int changed = serve(other, new TlsFixture.EchoHandler());
        TcpConnection[] c = new TcpConnection[1];

        assertThat(connect(real, client(null, store), c)).isEqualTo("open");
        assertThat(store.get(SERVER)).isEqualTo(TlsFixture.SERVER_ID.fingerprint());
        assertThat(connect(real, client(null, store), c)).isEqualTo("open");

        assertThat(connect(changed, client(null, store), c)).isEqualTo("closed:TLS_FAILED");
        Throwable why = root(fx.onLoop(() -> c[0].tlsFailure()));
        assertThat(why).isInstanceOf(ServerKeyChangedException.class);
        assertThat(why.getMessage()).contains("HAS CHANGED", other.fingerprint(), TlsFixture.SERVER_ID.fingerprint(),
                "parley trust");
        assertThat(store.get(SERVER)).as("a refused key is not pinned").isEqualTo(TlsFixture.SERVER_ID.fingerprint());

        assertThat(store.remove(SERVER)).isTrue(); // the deliberate acceptance
        assertThat(connect(changed, client(null, store), c)).isEqualTo("open");
        assertThat(store.get(SERVER)).isEqualTo(other.fingerprint());
    }

    @Test
    void aFingerprintGivenUpFrontIsEnforced() throws Exception {
        int real = serve(TlsFixture.SERVER_ID, new TlsFixture.EchoHandler());
        TcpConnection[] c = new TcpConnection[1];
        String typed = TlsFixture.SERVER_ID.fingerprint().toUpperCase().replace("SHA256:", "");
        assertThat(connect(real, client(typed, null), c)).isEqualTo("open");
        String wrong = TlsFixture.generate("x").fingerprint();
        assertThat(connect(real, client(wrong, null), c)).isEqualTo("closed:TLS_FAILED");
        assertThat(root(fx.onLoop(() -> c[0].tlsFailure()))).isInstanceOf(ServerKeyChangedException.class);
    }

    @Test
    void theSystemTrustModeRefusesASelfSignedServer() throws Exception {
        int real = serve(TlsFixture.SERVER_ID, new TlsFixture.EchoHandler());
        TcpConnection[] c = new TcpConnection[1];
        assertThat(connect(real, TlsConfig.client(TlsContexts.clientSystemTrust(), fx.tasks), c))
                .isEqualTo("closed:TLS_FAILED");
        assertThat(fx.onLoop(() -> c[0].tlsFailure())).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void channelBindingDiffersThroughAProxyThatTerminatesTls() throws Exception {
        TlsFixture.EchoHandler server = new TlsFixture.EchoHandler();
        int real = serve(TlsFixture.SERVER_ID, server);
        ServerIdentity proxyId = TlsFixture.generate("mitm");
        try (MitmProxy proxy = new MitmProxy(proxyId, real, dir.resolve("proxy-pins"))) {
            // a client pinned to the real server refuses the proxy
            PinStore store = new PinStore(dir.resolve("known_servers"));
            store.put(SERVER, TlsFixture.SERVER_ID.fingerprint());
            TcpConnection[] c = new TcpConnection[1];
            assertThat(connect(proxy.port(), client(null, store), c)).isEqualTo("closed:TLS_FAILED");
            assertThat(root(fx.onLoop(() -> c[0].tlsFailure()))).isInstanceOf(ServerKeyChangedException.class);

            // a client told to trust the proxy gets through, but its binding is not the server's
            TlsFixture.Collector col = new TlsFixture.Collector();
            TcpConnection victim = fx.connect(proxy.port(), col, config, client(proxyId.fingerprint(), null));
            assertThat(col.next()).isEqualTo("open");
            byte[] f = TlsFixture.frame(TlsFixture.ECHO, 9, 20);
            fx.onLoop(() -> {
                victim.write(ByteBuffer.wrap(f));
                return null;
            });
            assertThat((byte[]) col.next()).as("the proxy relays").isEqualTo(f);
            byte[] clientSide = fx.onLoop(() -> ChannelBinding.client(victim.tlsSession()));
            byte[] serverSide = fx.onLoop(() -> ChannelBinding.server(server.last.tlsSession()));
            assertThat(clientSide).isEqualTo(ChannelBinding.of(proxyId.certificate()));
            assertThat(serverSide).isEqualTo(ChannelBinding.of(TlsFixture.SERVER_ID.certificate()));
            assertThat(clientSide).isNotEqualTo(serverSide);
        }
    }

    /** Terminates TLS with its own certificate and relays plaintext over a second TLS connection. */
    static final class MitmProxy implements AutoCloseable {
        private final SSLServerSocket ss;

        MitmProxy(ServerIdentity id, int target, Path pins) throws Exception {
            SSLContext serverCtx = TlsContexts.server(id);
            ss = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 8, InetAddress.getLoopbackAddress());
            SSLContext upstream = TlsContexts.clientPinned(new PinningTrustManager("up", null, new PinStore(pins), "x"));
            Thread t = new Thread(() -> {
                while (!ss.isClosed()) {
                    try {
                        Socket in = ss.accept();
                        SSLSocket out = TlsFixture.blockingClient(upstream, target);
                        start(in, out);
                        start(out, in);
                    } catch (Exception e) {
                        // a refused client handshake, or closed
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        private static void start(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    byte[] b = new byte[16384];
                    int n;
                    while ((n = in.read(b)) > 0) {
                        out.write(b, 0, n);
                        out.flush();
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
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
