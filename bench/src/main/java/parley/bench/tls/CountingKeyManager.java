package parley.bench.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's key manager, counting full handshakes: the engine picks its certificate only when
 * it does not resume. A daemon thread writes the count to a file the bench reads
 * ({@link HandshakeCountFile}), so that a "resumed" storm is shown to be one.
 */
final class CountingKeyManager extends X509ExtendedKeyManager {
    /** How often the child rewrites its count; the bench waits for a write, not for this long. */
    private static final long WRITE_INTERVAL_MILLIS = 100;

    private final X509ExtendedKeyManager inner;
    private final AtomicLong full = new AtomicLong();

    CountingKeyManager(X509ExtendedKeyManager inner, Path dir) {
        this.inner = inner;
        Thread t = new Thread(() -> {
            try {
                for (long generation = 1; ; generation++) {
                    HandshakeCountFile.write(dir, full.get(), generation);
                    Thread.sleep(WRITE_INTERVAL_MILLIS);
                }
            } catch (Exception e) {
                // the process is ending
            }
        }, "full-handshake-count");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        String alias = inner.chooseEngineServerAlias(keyType, issuers, engine);
        if (alias != null) {
            full.incrementAndGet();
        }
        return alias;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return inner.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return inner.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return inner.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return inner.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return inner.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return inner.getPrivateKey(alias);
    }
}
