package parley.server.auth;

import parley.server.protocol.RegistryErrors;
import parley.server.protocol.scram.ScramKeys;

import java.util.Arrays;

/**
 * What the registry stores for an account: salt, iteration count, StoredKey and ServerKey
 * (RFC 5802). Never the password, never SaltedPassword. StoredKey lets the server check a proof
 * but not forge one; ServerKey lets it prove itself to the client.
 *
 * <p>At registration the client runs {@link #derive} itself and sends these four values, so the
 * password never leaves the client. The server checks them with {@link #check}: bounds only,
 * since it cannot verify keys it cannot derive.
 *
 * <p>Iteration bounds: at least {@link #MIN_ITERATIONS} (RFC 7677's minimum); at most
 * {@link #MAX_ITERATIONS}, because a client trusts the count in server-first and must not be made
 * to run PBKDF2 for minutes by a hostile server or a mistyped registration. The server itself
 * never runs PBKDF2 during login, so a large count costs only the account's own client.
 *
 * <p>{@link #DEFAULT_ITERATIONS} is what clients register with and what decoy credentials for
 * unknown names carry (they must match, or an unknown name would be told apart from a real one).
 * It is 600,000, OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256: StoredKey and the salt allow
 * an offline dictionary attack by whoever reads the database, and each guess then costs 600,000
 * HMACs instead of 4,096. The price falls on the client once per login (well under a second on
 * a current machine; the peer caches the result for reconnects). The registry still accepts any
 * count from {@link #MIN_ITERATIONS} up, so existing accounts keep working, and tests register
 * with the minimum to stay fast.
 */
public final class ScramCredentials {
    public static final int MIN_ITERATIONS = ScramKeys.MIN_ITERATIONS;
    public static final int MAX_ITERATIONS = ScramKeys.MAX_ITERATIONS;
    public static final int DEFAULT_ITERATIONS = ScramKeys.DEFAULT_ITERATIONS;
    public static final int MIN_SALT_LENGTH = ScramKeys.MIN_SALT_LENGTH;
    public static final int MAX_SALT_LENGTH = ScramKeys.MAX_SALT_LENGTH;
    public static final int KEY_LENGTH = ScramKeys.KEY_LENGTH;

    private final byte[] salt;
    private final int iterations;
    private final byte[] storedKey;
    private final byte[] serverKey;

    public ScramCredentials(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
        int code = check(salt, iterations, storedKey, serverKey);
        if (code != 0) {
            throw new IllegalArgumentException("credentials out of bounds");
        }
        this.salt = salt.clone();
        this.iterations = iterations;
        this.storedKey = storedKey.clone();
        this.serverKey = serverKey.clone();
    }

    /**
     * Client side of registration: SaltedPassword = Hi(Normalize(password), salt, i), then
     * StoredKey = H(HMAC(SaltedPassword, "Client Key")), ServerKey = HMAC(SaltedPassword, "Server Key").
     * CPU-heavy (PBKDF2): run off any event loop.
     */
    public static ScramCredentials derive(String password, byte[] salt, int iterations) {
        return of(ScramKeys.derive(password, salt, iterations));
    }

    public static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        return ScramKeys.saltedPassword(password, salt, iterations);
    }

    public static ScramCredentials fromSaltedPassword(byte[] saltedPassword, byte[] salt, int iterations) {
        return of(ScramKeys.fromSaltedPassword(saltedPassword, salt, iterations));
    }

    /** The stored form of what a client derived (and sent in REGISTER); checks the bounds. */
    public static ScramCredentials of(ScramKeys keys) {
        return new ScramCredentials(keys.salt(), keys.iterations(), keys.storedKey(), keys.serverKey());
    }

    /** 0 when the values are within bounds, else {@link RegistryErrors#BAD_CREDENTIALS}. */
    public static int check(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
        if (salt == null || salt.length < MIN_SALT_LENGTH || salt.length > MAX_SALT_LENGTH
                || iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS
                || storedKey == null || storedKey.length != KEY_LENGTH
                || serverKey == null || serverKey.length != KEY_LENGTH) {
            return RegistryErrors.BAD_CREDENTIALS;
        }
        return 0;
    }

    public byte[] salt() {
        return salt.clone();
    }

    public int iterations() {
        return iterations;
    }

    public byte[] storedKey() {
        return storedKey.clone();
    }

    public byte[] serverKey() {
        return serverKey.clone();
    }

    // Accessors without copies, for the server's SCRAM verifier (parley.server.auth): callers must not modify.
    public byte[] saltRef() {
        return salt;
    }

    public byte[] storedKeyRef() {
        return storedKey;
    }

    public byte[] serverKeyRef() {
        return serverKey;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ScramCredentials)) {
            return false;
        }
        ScramCredentials c = (ScramCredentials) o;
        return iterations == c.iterations && Arrays.equals(salt, c.salt)
                && Arrays.equals(storedKey, c.storedKey) && Arrays.equals(serverKey, c.serverKey);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(storedKey) + iterations;
    }

    @Override
    public String toString() {
        return "ScramCredentials[iterations=" + iterations + ", salt=" + salt.length + " bytes]";
    }
}
