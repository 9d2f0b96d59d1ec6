package parley.peer.auth;

import parley.server.auth.ScramCredentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The client half of one SCRAM-SHA-256 login (RFC 5802, RFC 7677) driven by {@link LoginKeys}
 * instead of a password, so a reconnect can log in again from memory:
 * <pre>
 *   clientFirst()                  "n,,n=user,r=cnonce"
 *   parse(serverFirst)             checks nonce, salt and iteration bounds; says which keys fit
 *   clientFinal(keys)              "c=biws,r=nonce,p=proof"  (cheap: HMACs only)
 *   verifyServerFinal(serverFinal) the registry proved it holds ServerKey
 * </pre>
 * The bounds are the same as the registry's {@code ScramClient}: a hostile server must not make
 * the client run PBKDF2 for minutes.
 */
public final class ScramLogin {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String user;
    private final String clientNonce;
    private String serverFirst;
    private String nonce;
    private byte[] salt;
    private int iterations;
    private byte[] expectedServerSignature;

    public ScramLogin(String user) {
        this(user, newNonce());
    }

    public ScramLogin(String user, String clientNonce) {
        this.user = user;
        this.clientNonce = clientNonce;
    }

    static String newNonce() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    public String clientFirst() {
        return "n,," + bare();
    }

    private String bare() {
        return "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
    }

    /** Reads server-first; throws with a reason when it is malformed or out of bounds. */
    public void parse(String serverFirstMessage) {
        String r = null;
        String s = null;
        String i = null;
        for (String part : serverFirstMessage.split(",", -1)) {
            if (part.startsWith("r=")) {
                r = part.substring(2);
            } else if (part.startsWith("s=")) {
                s = part.substring(2);
            } else if (part.startsWith("i=")) {
                i = part.substring(2);
            } else if (part.startsWith("m=")) {
                throw new IllegalArgumentException("server demands an unsupported SCRAM extension");
            }
        }
        if (r == null || s == null || i == null) {
            throw new IllegalArgumentException("server-first lacks r, s or i");
        }
        if (!r.startsWith(clientNonce) || r.length() <= clientNonce.length()) {
            throw new IllegalArgumentException("server nonce does not extend ours");
        }
        byte[] decoded;
        int n;
        try {
            decoded = Base64.getDecoder().decode(s);
            n = Integer.parseInt(i);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("server-first has a bad salt or iteration count");
        }
        if (decoded.length < ScramCredentials.MIN_SALT_LENGTH || decoded.length > ScramCredentials.MAX_SALT_LENGTH) {
            throw new IllegalArgumentException("salt length out of bounds");
        }
        if (n < ScramCredentials.MIN_ITERATIONS || n > ScramCredentials.MAX_ITERATIONS) {
            throw new IllegalArgumentException("iteration count " + n + " out of bounds");
        }
        this.serverFirst = serverFirstMessage;
        this.nonce = r;
        this.salt = decoded;
        this.iterations = n;
    }

    public byte[] salt() {
        return salt.clone();
    }

    public int iterations() {
        return iterations;
    }

    /** client-final with the proof, from keys that fit this salt and count. */
    public String clientFinal(LoginKeys keys) {
        if (serverFirst == null) {
            throw new IllegalStateException("parse(serverFirst) first");
        }
        if (!keys.fits(salt, iterations)) {
            throw new IllegalArgumentException("keys were derived for another salt or iteration count");
        }
        String withoutProof = "c=biws,r=" + nonce;
        byte[] authMessage = (bare() + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] storedKey = LoginKeys.sha256(keys.clientKey());
        byte[] signature = LoginKeys.hmac(storedKey, authMessage);
        byte[] proof = new byte[signature.length];
        for (int k = 0; k < proof.length; k++) {
            proof[k] = (byte) (keys.clientKey()[k] ^ signature[k]);
        }
        expectedServerSignature = LoginKeys.hmac(keys.serverKey(), authMessage);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** True when server-final carries the signature only a holder of ServerKey can make. */
    public boolean verifyServerFinal(String serverFinal) {
        if (expectedServerSignature == null || serverFinal == null || !serverFinal.startsWith("v=")) {
            return false;
        }
        String v = serverFinal.substring(2);
        int comma = v.indexOf(',');
        if (comma >= 0) {
            v = v.substring(0, comma);
        }
        try {
            return MessageDigest.isEqual(Base64.getDecoder().decode(v), expectedServerSignature);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
