package parley.core.tls;

import parley.core.util.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A server's private key and certificate chain (leaf first), and where they live on disk.
 *
 * <p>Two modes: {@link #load} reads an operator-supplied PEM certificate chain and PKCS#8 key
 * (a registry with a real name, verified by clients against the system trust store);
 * {@link #loadOrCreate} reads or, at first start, generates a self-signed P-256 identity in a data
 * directory (clients pin its {@link Fingerprint}). Generated files are written owner-only (0600).
 * Disk access: call off the event loop, at startup.
 */
public final class ServerIdentity {
    /** File names inside the data directory for the generated identity. */
    public static final String CERT_FILE = "server-cert.pem";
    public static final String KEY_FILE = "server-key.pem";
    private static final int VALIDITY_DAYS = 100 * 365;

    private final PrivateKey key;
    private final X509Certificate[] chain;

    public ServerIdentity(PrivateKey key, X509Certificate[] chain) {
        if (chain.length == 0) {
            throw new IllegalArgumentException("a certificate chain needs at least the leaf");
        }
        this.key = key;
        this.chain = chain.clone();
    }

    public PrivateKey privateKey() {
        return key;
    }

    public X509Certificate[] chain() {
        return chain.clone();
    }

    public X509Certificate certificate() {
        return chain[0];
    }

    /** The pin a client stores for this server: SHA-256 of the leaf's public key. */
    public String fingerprint() {
        return Fingerprint.of(chain[0]);
    }

    /** Reads an operator-supplied certificate chain and key (PEM). */
    public static ServerIdentity load(Path certPem, Path keyPem) throws IOException, GeneralSecurityException {
        return new ServerIdentity(Pem.readPrivateKey(keyPem), Pem.readCertificates(certPem));
    }

    /**
     * The identity in {@code dir}, generated (and its files written 0600) if there is none yet.
     * {@code created} in the answer says which, so the caller can print the new fingerprint.
     */
    public static Loaded loadOrCreate(Path dir, String commonName) throws IOException, GeneralSecurityException {
        Path cert = dir.resolve(CERT_FILE);
        Path key = dir.resolve(KEY_FILE);
        if (Files.exists(cert) || Files.exists(key)) {
            return new Loaded(load(cert, key), false);
        }
        PrivateFiles.createDirectories(dir); // 0700: pins and keys are no one else's business
        ServerIdentity id = SelfSignedCertificate.generate(commonName, Instant.now(), VALIDITY_DAYS);
        Pem.writePrivateKey(key, id.key);
        Pem.writeCertificates(cert, id.chain);
        return new Loaded(id, true);
    }

    /** The answer of {@link #loadOrCreate}. */
    public static final class Loaded {
        public final ServerIdentity identity;
        public final boolean created;

        Loaded(ServerIdentity identity, boolean created) {
            this.identity = identity;
            this.created = created;
        }
    }
}
