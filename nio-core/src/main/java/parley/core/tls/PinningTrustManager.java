package parley.core.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * Trusts a server by the SHA-256 of its public key, not by a CA: either a fingerprint given up
 * front, or trust on first use with the pin kept in a {@link PinStore}. A different key is refused
 * with a {@link ServerKeyChangedException}. Client side only. Its checks run in the engine's
 * delegated task, on the TLS pool, so the pin file is never touched on the loop.
 */
public final class PinningTrustManager extends X509ExtendedTrustManager {
    private final String server;
    private final String expected;
    private final PinStore store;
    private final String howToAccept;

    /**
     * @param server      "host:port", the pin's key and the name in messages
     * @param expected    a fingerprint given up front ({@code --server-fingerprint}), or null
     * @param store       where pins live (trust on first use when there is none), or null with {@code expected}
     * @param howToAccept the words telling the user how to accept a changed key deliberately
     */
    public PinningTrustManager(String server, String expected, PinStore store, String howToAccept) {
        if (expected == null && store == null) {
            throw new IllegalArgumentException("need a fingerprint or a pin store");
        }
        this.server = server;
        this.expected = expected == null ? null : Fingerprint.parse(expected);
        this.store = store;
        this.howToAccept = howToAccept;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server presented no certificate");
        }
        chain[0].checkValidity();
        String presented = Fingerprint.of(chain[0]);
        try {
            String pinned = expected != null ? expected : store.get(server);
            if (pinned == null) {
                store.put(server, presented); // trust on first use
                return;
            }
            if (!pinned.equals(presented)) {
                throw new ServerKeyChangedException(server, pinned, presented, howToAccept);
            }
            if (store != null && expected != null && store.get(server) == null) {
                store.put(server, presented);
            }
        } catch (IOException e) {
            throw new CertificateException("cannot read or write the pin file " + store.file() + ": " + e, e);
        } catch (UncheckedIOException e) {
            throw new CertificateException(e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("client certificates are not used");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("client certificates are not used");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not used");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
