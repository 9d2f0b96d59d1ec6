package parley.peer.auth;

import parley.server.auth.SaslPrep;
import parley.server.auth.ScramClient;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Supplies SaltedPassword to {@link ScramClient} and keeps it, not the password: the first login
 * runs PBKDF2 once and forgets the password; a re-login after a reconnect reuses the result for
 * the same salt and count. A registry answering with another salt needs the password again.
 *
 * <p>Used only on the hashing thread: PBKDF2 must never run on the loop.
 */
public final class SaltedPasswordCache implements ScramClient.SaltedPasswords {
    private String password;
    private byte[] salt;
    private int iterations;
    private byte[] salted;

    public SaltedPasswordCache(String password) {
        this.password = password;
    }

    @Override
    public byte[] derive(byte[] forSalt, int forIterations) {
        if (salted != null && forIterations == iterations && MessageDigest.isEqual(forSalt, salt)) {
            return salted.clone();
        }
        if (password == null) {
            throw new IllegalArgumentException("the registry changed the account's salt; log in again with the password");
        }
        salted = hi(SaslPrep.normalize(password).getBytes(StandardCharsets.UTF_8), forSalt, forIterations);
        salt = forSalt.clone();
        iterations = forIterations;
        password = null;
        return salted.clone();
    }

    public boolean holdsPassword() {
        return password != null;
    }

    /** Hi() of RFC 5802: PBKDF2 with HMAC-SHA-256 and one output block. */
    static byte[] hi(byte[] secret, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
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

}
