package parley.server.protocol.scram;

/**
 * What a client derives from a password for REGISTER (RFC 5802 section 3): the salt, the
 * iteration count, StoredKey = H(HMAC(SaltedPassword, "Client Key")) and
 * ServerKey = HMAC(SaltedPassword, "Server Key"). The one place the derivation and its bounds
 * live; the registry's stored {@code ScramCredentials} (parley.server.auth) are built from it.
 *
 * <p>Iteration bounds: a client refuses a server-first outside them, so a hostile server cannot
 * weaken the hash or make the client run PBKDF2 for minutes. The default, 600,000, is OWASP's 2023
 * recommendation for PBKDF2-HMAC-SHA256.
 */
public record ScramKeys(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    public static final int MIN_ITERATIONS = 4096;
    public static final int MAX_ITERATIONS = 1_000_000;
    public static final int DEFAULT_ITERATIONS = 600_000;
    public static final int MIN_SALT_LENGTH = 16;
    public static final int MAX_SALT_LENGTH = 64;
    public static final int KEY_LENGTH = ScramCrypto.HASH_LENGTH;

    /** CPU-heavy (PBKDF2): run off any event loop. */
    public static ScramKeys derive(String password, byte[] salt, int iterations) {
        return fromSaltedPassword(saltedPassword(password, salt, iterations), salt, iterations);
    }

    /** SaltedPassword = Hi(Normalize(password), salt, i). CPU-heavy. */
    public static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        return ScramCrypto.hi(ScramCrypto.utf8(SaslPrep.normalize(password)), salt, iterations);
    }

    public static ScramKeys fromSaltedPassword(byte[] saltedPassword, byte[] salt, int iterations) {
        byte[] clientKey = ScramCrypto.hmac(saltedPassword, ScramCrypto.CLIENT_KEY);
        byte[] storedKey = ScramCrypto.h(clientKey);
        byte[] serverKey = ScramCrypto.hmac(saltedPassword, ScramCrypto.SERVER_KEY);
        return new ScramKeys(salt.clone(), iterations, storedKey, serverKey);
    }
}
