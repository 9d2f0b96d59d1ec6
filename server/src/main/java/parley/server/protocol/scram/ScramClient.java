package parley.server.protocol.scram;

import parley.server.protocol.RegistryErrors;

import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Client side of one SCRAM-SHA-256 login (RFC 5802, RFC 7677):
 * <pre>
 *   clientFirst()            -> "n,,n=user,r=cnonce"
 *   clientFinal(serverFirst) -> "c=biws,r=nonce,p=proof"   (runs PBKDF2: call off the loop)
 *   verifyServerFinal(sf)    -> throws unless the server proved it holds ServerKey
 * </pre>
 * The client refuses a server-first whose nonce does not extend its own, whose salt is out of
 * bounds, or whose iteration count is outside [{@link ScramKeys#MIN_ITERATIONS},
 * {@link ScramKeys#MAX_ITERATIONS}]: a hostile server must not be able to weaken the hash
 * or make the client compute for minutes.
 */
public final class ScramClient {
    /**
     * Supplies SaltedPassword = PBKDF2(password, salt, i) for the server's salt and count. A client
     * that logs in again (after a reconnect, or thousands of times in a benchmark) can cache it
     * instead of keeping the password or paying for PBKDF2 each time.
     */
    @FunctionalInterface
    public interface SaltedPasswords {
        byte[] derive(byte[] salt, int iterations);
    }

    private final String username;
    private final String clientNonce;
    /** The tls-server-end-point value of the TLS connection, or null for SCRAM without binding. */
    private final byte[] channelBinding;
    private final String gs2Header;
    private SaltedPasswords password;
    private String clientFirstBare;
    private byte[] expectedServerSignature;
    private boolean done;

    public ScramClient(String username, String password, String clientNonce) {
        this(username, (salt, iterations) -> ScramKeys.saltedPassword(password, salt, iterations), clientNonce);
    }

    public ScramClient(String username, SaltedPasswords password, String clientNonce) {
        this(username, password, clientNonce, null);
    }

    /**
     * SCRAM-SHA-256-PLUS when {@code channelBinding} is not null: the gs2 header is
     * {@code p=tls-server-end-point,,} and c= carries the binding, so a proof made over one TLS
     * connection does not verify over another (a machine in the middle terminating TLS).
     */
    public ScramClient(String username, SaltedPasswords password, String clientNonce, byte[] channelBinding) {
        if (!ScramSyntax.isNonce(clientNonce, ScramSyntax.MIN_NONCE_LENGTH, ScramSyntax.MAX_NONCE_LENGTH)) {
            throw new IllegalArgumentException("client nonce must be 16-64 printable characters without ','");
        }
        this.username = username;
        this.password = password;
        this.clientNonce = clientNonce;
        this.channelBinding = channelBinding == null ? null : channelBinding.clone();
        this.gs2Header = channelBinding == null ? ScramSyntax.GS2_HEADER : ScramSyntax.GS2_PLUS_HEADER;
    }

    /** As {@link #ScramClient(String, String, String)}, with channel binding (null: none). */
    public ScramClient(String username, String password, String clientNonce, byte[] channelBinding) {
        this(username, (salt, iterations) -> ScramKeys.saltedPassword(password, salt, iterations), clientNonce,
                channelBinding);
    }

    public static String newNonce(SecureRandom random) {
        return ScramSyntax.newNonce(random);
    }

    public String clientFirst() {
        clientFirstBare = "n=" + ScramSyntax.encodeSaslName(username) + ",r=" + clientNonce;
        return gs2Header + clientFirstBare;
    }

    /** Processes server-first and returns client-final with the proof. CPU-heavy (PBKDF2). */
    public String clientFinal(String serverFirst) throws ScramException {
        if (clientFirstBare == null || password == null) {
            throw new IllegalStateException("clientFirst() first, and only once");
        }
        String[] parts = ScramSyntax.split(serverFirst);
        if (parts.length > 0 && parts[0].startsWith("m=")) {
            throw ScramSyntax.malformed("mandatory extension not supported");
        }
        String nonce = ScramSyntax.attribute(parts, 0, 'r');
        String saltText = ScramSyntax.attribute(parts, 1, 's');
        String iterText = ScramSyntax.attribute(parts, 2, 'i');
        if (!nonce.startsWith(clientNonce) || nonce.length() <= clientNonce.length()
                || !ScramSyntax.isNonce(nonce, 1, ScramSyntax.MAX_NONCE_LENGTH * 2)) {
            throw ScramSyntax.malformed("server nonce does not extend the client nonce");
        }
        byte[] salt = ScramCrypto.unb64(saltText);
        if (salt == null || salt.length < ScramKeys.MIN_SALT_LENGTH || salt.length > ScramKeys.MAX_SALT_LENGTH) {
            throw ScramSyntax.malformed("salt out of bounds");
        }
        int iterations = parseIterations(iterText);
        byte[] saltedPassword;
        try {
            saltedPassword = password.derive(salt, iterations);
        } catch (IllegalArgumentException e) {
            throw new ScramException(RegistryErrors.AUTH_FAILED, "password not usable: " + e.getMessage());
        }
        password = null;
        String withoutProof = "c=" + ScramSyntax.cbindAttribute(gs2Header, channelBinding) + ",r=" + nonce;
        byte[] authMessage = ScramCrypto.utf8(clientFirstBare + "," + serverFirst + "," + withoutProof);
        byte[] clientKey = ScramCrypto.hmac(saltedPassword, ScramCrypto.CLIENT_KEY);
        byte[] storedKey = ScramCrypto.h(clientKey);
        byte[] clientSignature = ScramCrypto.hmac(storedKey, authMessage);
        byte[] proof = ScramCrypto.xor(clientKey, clientSignature);
        byte[] serverKey = ScramCrypto.hmac(saltedPassword, ScramCrypto.SERVER_KEY);
        expectedServerSignature = ScramCrypto.hmac(serverKey, authMessage);
        return withoutProof + ",p=" + ScramCrypto.b64(proof);
    }

    /** Checks server-final {@code v=<ServerSignature>}; throws AUTH_FAILED if it does not match. */
    public void verifyServerFinal(String serverFinal) throws ScramException {
        if (expectedServerSignature == null) {
            throw new IllegalStateException("clientFinal() first");
        }
        String[] parts = ScramSyntax.split(serverFinal);
        if (parts[0].startsWith("e=")) {
            throw new ScramException(RegistryErrors.AUTH_FAILED, "server reported " + parts[0].substring(2));
        }
        byte[] signature = ScramCrypto.unb64(ScramSyntax.attribute(parts, 0, 'v'));
        if (signature == null || !MessageDigest.isEqual(signature, expectedServerSignature)) {
            throw new ScramException(RegistryErrors.AUTH_FAILED, "server signature does not verify");
        }
        done = true;
    }

    public boolean isServerVerified() {
        return done;
    }

    private static int parseIterations(String text) throws ScramException {
        if (text.isEmpty() || text.length() > 9) {
            throw ScramSyntax.malformed("iteration count out of bounds");
        }
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw ScramSyntax.malformed("iteration count is not a number");
            }
            n = n * 10 + (c - '0');
        }
        if (n < ScramKeys.MIN_ITERATIONS || n > ScramKeys.MAX_ITERATIONS) {
            throw ScramSyntax.malformed("iteration count " + n + " outside "
                    + ScramKeys.MIN_ITERATIONS + ".." + ScramKeys.MAX_ITERATIONS);
        }
        return n;
    }
}
