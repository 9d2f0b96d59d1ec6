package parley.core.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * {@link SSLContext}s for the two sides. A client keeps its context for the life of the process:
 * the context holds the session-ticket cache that lets a reconnect resume (TLS 1.3 PSK).
 */
public final class TlsContexts {
    private static final String PROTOCOL = "TLSv1.3";
    private static final char[] NO_PASSWORD = new char[0];
    private static final String ALIAS = "server";

    private TlsContexts() {
    }

    /** A server presenting {@code identity}. */
    public static SSLContext server(ServerIdentity identity) throws GeneralSecurityException {
        return server(keyManagers(identity));
    }

    /** A server from explicit key managers (tests wrap them to count full handshakes). */
    public static SSLContext server(KeyManager[] keyManagers) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance(PROTOCOL);
        ctx.init(keyManagers, null, null);
        return ctx;
    }

    public static KeyManager[] keyManagers(ServerIdentity identity) throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        ks.setKeyEntry(ALIAS, identity.privateKey(), NO_PASSWORD, identity.chain());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, NO_PASSWORD);
        return kmf.getKeyManagers();
    }

    /** A client that verifies the server against the system trust store and its host name (operator-certificate mode). */
    public static SSLContext clientSystemTrust() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        return client(tmf.getTrustManagers());
    }

    /** A client that trusts the pinned key only (self-signed mode); see {@link PinningTrustManager}. */
    public static SSLContext clientPinned(PinningTrustManager pins) throws GeneralSecurityException {
        return client(new TrustManager[] {pins});
    }

    private static SSLContext client(TrustManager[] tms) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance(PROTOCOL);
        ctx.init(null, tms, null);
        return ctx;
    }
}
