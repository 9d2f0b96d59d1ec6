package parley.server.auth;

import parley.server.protocol.scram.ScramCrypto;
import parley.server.protocol.Usernames;

import java.util.Arrays;

/**
 * Credentials for names that have no account, so that LOGIN_START for an unknown user answers a
 * server-first exactly as for a real one and fails only at the proof, with the same AUTH_FAILED.
 *
 * <p>The salt is HMAC(secret, "salt" || key) truncated to 16 bytes: stable per name, so asking
 * twice gives the same salt as a real account would, and unpredictable without the secret.
 * The secret must be persistent (the storage keeps it), or a restart would change every decoy
 * salt while real salts stay put. The iteration count is the server default: accounts should be
 * registered with that count, since any other count marks the account as real.
 *
 * <p>The decoy StoredKey is also derived from the secret; no proof can match it short of a hash
 * preimage, and {@link ScramServer} refuses decoys regardless.
 */
public final class DecoyCredentials {
    public static final int SECRET_LENGTH = 32;
    private static final int SALT_LENGTH = 16;

    private final byte[] secret;
    private final int iterations;

    public DecoyCredentials(byte[] secret, int iterations) {
        if (secret.length < SECRET_LENGTH) {
            throw new IllegalArgumentException("decoy secret must have at least " + SECRET_LENGTH + " bytes");
        }
        this.secret = secret.clone();
        this.iterations = iterations;
    }

    /** Decoy credentials for a canonical user-name key (see {@link Usernames#key}). */
    public ScramCredentials forKey(String usernameKey) {
        byte[] name = ScramCrypto.utf8(usernameKey);
        byte[] salt = Arrays.copyOf(ScramCrypto.hmac(secret, concat("salt:", name)), SALT_LENGTH);
        byte[] storedKey = ScramCrypto.hmac(secret, concat("stored:", name));
        byte[] serverKey = ScramCrypto.hmac(secret, concat("server:", name));
        return new ScramCredentials(salt, iterations, storedKey, serverKey);
    }

    private static byte[] concat(String label, byte[] name) {
        byte[] l = ScramCrypto.ascii(label);
        byte[] out = Arrays.copyOf(l, l.length + name.length);
        System.arraycopy(name, 0, out, l.length, name.length);
        return out;
    }
}
