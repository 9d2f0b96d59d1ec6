package parley.server.protocol.scram;

import parley.core.crypto.Hkdf;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The primitives of RFC 5802 section 2.2, instantiated with SHA-256 as RFC 7677 does. */
public final class ScramCrypto {
    public static final int HASH_LENGTH = 32;
    public static final byte[] CLIENT_KEY = ascii("Client Key");
    public static final byte[] SERVER_KEY = ascii("Server Key");

    private ScramCrypto() {
    }

    public static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** HMAC(key, str): nio-core's one HMAC-SHA-256 helper. */
    public static byte[] hmac(byte[] key, byte[] data) {
        return Hkdf.hmac(key, data);
    }

    /** H(str). */
    public static byte[] h(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /**
     * Hi(str, salt, i): PBKDF2 with HMAC-SHA-256 and one output block.
     * <pre>
     *   U1 = HMAC(str, salt + INT(1))
     *   Ui = HMAC(str, Ui-1)
     *   Hi = U1 XOR U2 XOR ... XOR Ui
     * </pre>
     * The expensive step: never call on an event loop.
     */
    public static byte[] hi(byte[] str, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(str, "HmacSHA256"));
            mac.update(salt);
            mac.update(new byte[]{0, 0, 0, 1});
            byte[] u = mac.doFinal();
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                mac.update(u);
                mac.doFinal(u, 0);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    public static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** Strict base64 decode; null when the text is not valid base64. */
    public static byte[] unb64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
