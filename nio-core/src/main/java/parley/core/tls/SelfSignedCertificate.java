package parley.core.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Generates an ECDSA P-256 key pair and a self-signed X.509 v3 certificate for it, signed with
 * SHA256withECDSA. P-256 rather than Ed25519 because every TLS 1.3 stack (including the JDK's
 * and Netty's) must support it, and its {@code tls-server-end-point} hash is plainly SHA-256
 * (RFC 5929 §4.1). The certificate carries no extensions: a client pins its key, it is never
 * checked against a name or a CA.
 */
public final class SelfSignedCertificate {
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final int X509_V3 = 2;
    private static final int SERIAL_BITS = 128;
    private static final DateTimeFormatter GENERALIZED =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private SelfSignedCertificate() {
    }

    /** A fresh identity named {@code commonName}, valid from {@code notBefore} for {@code days} days. */
    public static ServerIdentity generate(String commonName, Instant notBefore, int days) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
        byte[] name = Der.sequence(Der.tlv(Der.SET, Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
        byte[] validity = Der.sequence(time(notBefore), time(notBefore.plusSeconds(days * 86_400L)));
        byte[] tbs = Der.sequence(
                Der.tlv(Der.CONTEXT_0, Der.integer(BigInteger.valueOf(X509_V3))),
                Der.integer(new BigInteger(SERIAL_BITS - 1, new SecureRandom()).add(BigInteger.ONE)),
                algorithm, name, validity, name,
                kp.getPublic().getEncoded());
        Signature s = Signature.getInstance(SIGNATURE);
        s.initSign(kp.getPrivate());
        s.update(tbs);
        byte[] der = Der.sequence(tbs, algorithm, Der.bitString(s.sign()));
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        cert.verify(kp.getPublic());
        return new ServerIdentity(kp.getPrivate(), new X509Certificate[] {cert});
    }

    private static byte[] time(Instant t) {
        return Der.tlv(Der.GENERALIZED_TIME, GENERALIZED.format(t).getBytes(StandardCharsets.US_ASCII));
    }
}
