package parley.peer.auth;

import parley.server.protocol.scram.ScramClient;
import parley.server.protocol.scram.ScramKeys;

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
        salted = ScramKeys.saltedPassword(password, forSalt, forIterations);
        salt = forSalt.clone();
        iterations = forIterations;
        password = null;
        return salted.clone();
    }

    public boolean holdsPassword() {
        return password != null;
    }
}
