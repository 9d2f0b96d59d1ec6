package parley.peer.auth;

import parley.server.auth.SaslPrep;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * What a peer keeps in memory to log in again after a reconnect without the plain password:
 * ClientKey and ServerKey (RFC 5802) for one salt and iteration count. They let the peer prove
 * itself and check the registry, but not recover the password; a registry that answers with a
 * different salt or count needs the password typed again.
 */
public final class LoginKeys {
    private final byte[] salt;
    private final int iterations;
    private final byte[] clientKey;
    private final byte[] serverKey;

    private LoginKeys(byte[] salt, int iterations, byte[] clientKey, byte[] serverKey) {
        this.salt = salt.clone();
        this.iterations = iterations;
        this.clientKey = clientKey;
        this.serverKey = serverKey;
    }

    /** SaltedPassword = Hi(SASLprep(password), salt, i), then the two keys. PBKDF2: never on a loop. */
    public static LoginKeys derive(String password, byte[] salt, int iterations) {
        byte[] salted = hi(SaslPrep.normalize(password).getBytes(StandardCharsets.UTF_8), salt, iterations);
        LoginKeys k = new LoginKeys(salt, iterations, hmac(salted, "Client Key"), hmac(salted, "Server Key"));
        Arrays.fill(salted, (byte) 0);
        return k;
    }

    public boolean fits(byte[] otherSalt, int otherIterations) {
        return otherIterations == iterations && MessageDigest.isEqual(salt, otherSalt);
    }

    byte[] clientKey() {
        return clientKey;
    }

    byte[] serverKey() {
        return serverKey;
    }

    static byte[] hi(byte[] password, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(password, "HmacSHA256"));
            mac.update(salt);
            mac.update(new byte[]{0, 0, 0, 1});
            byte[] u = mac.doFinal();
            byte[] out = u.clone();
            for (int i = 1; i < iterations; i++) {
                mac.update(u);
                mac.doFinal(u, 0);
                for (int j = 0; j < out.length; j++) {
                    out[j] ^= u[j];
                }
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        return hmac(key, data.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
