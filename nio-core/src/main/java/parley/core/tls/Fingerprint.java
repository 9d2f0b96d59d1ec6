package parley.core.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A server's pin: {@code SHA256:} and the lowercase hex SHA-256 of its certificate's
 * SubjectPublicKeyInfo (the key, not the certificate, as in HPKP/RFC 7469, so a renewed
 * certificate with the same key keeps its pin). Users may type it with colons or in upper case.
 */
public final class Fingerprint {
    public static final String PREFIX = "SHA256:";
    private static final int HEX_LENGTH = 64;

    private Fingerprint() {
    }

    public static String of(X509Certificate cert) {
        return PREFIX + HexFormat.of().formatHex(sha256(cert.getPublicKey().getEncoded()));
    }

    /** The canonical form of a user-typed fingerprint; IllegalArgumentException if it is not one. */
    public static String parse(String text) {
        String t = text.trim();
        if (t.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            t = t.substring(PREFIX.length());
        }
        t = t.replace(":", "").toLowerCase(Locale.ROOT);
        if (t.length() != HEX_LENGTH || !t.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("not a SHA-256 fingerprint (64 hex digits): " + text);
        }
        return PREFIX + t;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
