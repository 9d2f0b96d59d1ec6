package parley.core.tls;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * The {@code tls-server-end-point} channel binding (RFC 5929 §4): a hash of the server's
 * certificate, as both ends see it. A man-in-the-middle that terminates TLS presents its own
 * certificate, so the client's value differs from the server's and a SCRAM-PLUS proof bound to
 * it fails. The hash is the certificate signature's hash, with MD5 and SHA-1 replaced by SHA-256
 * (§4.1); for Ed25519, whose signature has no separate hash, SHA-256 as well (what pgjdbc does).
 *
 * <p>JDK 17's SSLEngine has no keying-material exporter, so {@code tls-exporter} (RFC 9266) is
 * the upgrade once the project moves to a JDK that has one (JDK 25).
 */
public final class ChannelBinding {
    /** The binding's name in SCRAM's gs2 header. */
    public static final String TYPE = "tls-server-end-point";

    private ChannelBinding() {
    }

    /** The value on the client: the hash of the certificate the server presented. */
    public static byte[] client(SSLSession session) throws SSLPeerUnverifiedException {
        return of(session.getPeerCertificates());
    }

    /** The value on the server: the hash of its own certificate. */
    public static byte[] server(SSLSession session) {
        return of(session.getLocalCertificates());
    }

    /** The value for {@code cert} (the server's leaf certificate). */
    public static byte[] of(X509Certificate cert) {
        try {
            return MessageDigest.getInstance(hashFor(cert.getSigAlgName())).digest(cert.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot hash the server certificate", e);
        }
    }

    private static byte[] of(Certificate[] chain) {
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
            throw new IllegalStateException("no X.509 server certificate in the session");
        }
        return of((X509Certificate) chain[0]);
    }

    /** RFC 5929 §4.1: the signature's hash, but SHA-256 for MD5, SHA-1 or a signature without one. */
    static String hashFor(String sigAlgName) {
        String s = sigAlgName.toUpperCase(Locale.ROOT);
        if (s.startsWith("SHA384")) {
            return "SHA-384";
        }
        if (s.startsWith("SHA512")) {
            return "SHA-512";
        }
        return "SHA-256";
    }
}
