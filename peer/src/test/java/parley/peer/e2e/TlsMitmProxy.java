package parley.peer.e2e;

import parley.core.tls.SelfSignedCertificate;
import parley.core.tls.ServerIdentity;
import parley.core.tls.TlsContexts;
import parley.server.protocol.client.TestTls;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A machine in the middle between a peer and the registry, for the MITM tests. {@link #terminating}
 * ends the peer's TLS with its own certificate and opens its own TLS to the registry, so it sees
 * and could change every frame. {@link #relay} only forwards the TLS bytes, and from
 * {@link #startTampering} on flips one byte in everything the registry sends, which is what
 * rewriting a PEER_INVITE key would need without terminating TLS.
 */
final class TlsMitmProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final boolean terminate;
    private final ServerIdentity identity;
    private final AtomicBoolean tamper = new AtomicBoolean();
    private volatile boolean closed;

    private TlsMitmProxy(InetSocketAddress upstream, boolean terminate) throws Exception {
        this.upstream = upstream;
        this.terminate = terminate;
        this.identity = SelfSignedCertificate.generate("mitm", Instant.now().minus(1, ChronoUnit.DAYS), 30);
        if (terminate) {
            SSLServerSocket s = (SSLServerSocket) TlsContexts.server(identity).getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            s.setEnabledProtocols(new String[] {"TLSv1.3"});
            listener = s;
        } else {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }
        Thread t = new Thread(this::acceptLoop, "mitm-accept");
        t.setDaemon(true);
        t.start();
    }

    static TlsMitmProxy terminating(InetSocketAddress registry) throws Exception {
        return new TlsMitmProxy(registry, true);
    }

    static TlsMitmProxy relay(InetSocketAddress registry) throws Exception {
        return new TlsMitmProxy(registry, false);
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", listener.getLocalPort());
    }

    /** The proxy's own key, which a user might be talked into trusting. */
    String fingerprint() {
        return identity.fingerprint();
    }

    void startTampering() {
        tamper.set(true);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket down = listener.accept();
                Socket up;
                if (terminate) {
                    SSLSocket tls = (SSLSocket) TestTls.clientContext().getSocketFactory()
                            .createSocket(upstream.getAddress(), upstream.getPort());
                    tls.setEnabledProtocols(new String[] {"TLSv1.3"});
                    up = tls;
                } else {
                    up = new Socket(upstream.getAddress(), upstream.getPort());
                }
                pump(down, up, false);
                pump(up, down, true);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromRegistry) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (fromRegistry && tamper.get()) {
                        buf[n - 1] ^= 0x01; // a rewritten byte: the record's tag no longer verifies
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // either side went away: so does the other
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "mitm-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
    }
}
