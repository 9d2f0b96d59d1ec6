package parley.server.protocol.client;

import parley.core.loop.WorkQueue;
import parley.core.tcp.TlsConfig;
import parley.core.tls.PinningTrustManager;
import parley.core.tls.SelfSignedCertificate;
import parley.core.tls.ServerIdentity;
import parley.core.tls.TlsContexts;

import javax.net.ssl.SSLContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One TLS identity for all in-process registries of a test JVM, and one client context that pins
 * it: every registry and peer test runs over TLS by default, and a key generated once keeps the
 * suite fast. The client context is shared, so reconnects in tests resume as in production.
 */
public final class TestTls {
    private static final ServerIdentity IDENTITY;
    private static final SSLContext SERVER;
    private static final SSLContext CLIENT;
    private static final WorkQueue<Runnable> CLIENT_TASKS = TlsConfig.newTaskPool("test-tls-client", 2, 4096);

    static {
        try {
            IDENTITY = SelfSignedCertificate.generate("parley-test-registry",
                    Instant.now().minus(1, ChronoUnit.DAYS), 365);
            SERVER = TlsContexts.server(IDENTITY);
            CLIENT = TlsContexts.clientPinned(new PinningTrustManager("test", IDENTITY.fingerprint(), null,
                    "this is a test"));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TestTls() {
    }

    public static ServerIdentity identity() {
        return IDENTITY;
    }

    /** The test registry's key fingerprint, as a peer passes it with --server-fingerprint. */
    public static String fingerprint() {
        return IDENTITY.fingerprint();
    }

    /** The server context to put in {@code RegistryConfig.tls}. */
    public static SSLContext serverContext() {
        return SERVER;
    }

    /** The client context that trusts exactly the test identity (for blocking SSLSockets in tests). */
    public static SSLContext clientContext() {
        return CLIENT;
    }

    /** A client config that trusts exactly the server with {@code fingerprint} (a server process's own key). */
    public static TlsConfig clientPinned(String fingerprint) throws Exception {
        return TlsConfig.client(TlsContexts.clientPinned(new PinningTrustManager("test", fingerprint, null, "test")),
                CLIENT_TASKS);
    }

    /** A client config that trusts exactly the test identity. */
    public static TlsConfig client() {
        return TlsConfig.client(CLIENT, CLIENT_TASKS);
    }
}
