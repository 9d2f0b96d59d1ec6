package parley.server.auth;

import parley.server.protocol.scram.ScramCrypto;
import parley.server.protocol.scram.ScramException;
import parley.server.protocol.scram.ScramSyntax;

import parley.server.protocol.RegistryErrors;

import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Server side of one SCRAM-SHA-256 login (RFC 5802, RFC 7677), as a state machine:
 * <pre>
 *   NEW --clientFirst()--> GOT_CLIENT_FIRST --serverFirst()--> SENT_SERVER_FIRST
 *       --clientFinal()--> DONE (success: returns server-final)  or FAILED (throws)
 * </pre>
 * Between {@link #clientFirst} and {@link #serverFirst} the caller looks the name up and passes
 * the account's credentials, or {@link DecoyCredentials} with {@code decoy = true} for an
 * unknown name: the exchange then runs identically and fails at the proof with AUTH_FAILED,
 * the same code as a wrong password.
 *
 * <p>Only HMAC and SHA-256 run here, never PBKDF2, so the whole exchange is cheap enough for
 * the event loop. Not thread-safe: one instance per login attempt, owned by the loop.
 */
public final class ScramServer {
    private enum State { NEW, GOT_CLIENT_FIRST, SENT_SERVER_FIRST, DONE, FAILED }

    private final String serverNonce;
    /** This TLS connection's tls-server-end-point value, or null on plaintext. */
    private final byte[] channelBinding;
    /** On TLS, whether a login without binding (n or y) is refused. */
    private final boolean bindingRequired;
    private byte[] expectedCbind;
    private State state = State.NEW;
    private String username;
    private String clientNonce;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private ScramCredentials credentials;
    private boolean decoy;

    /** @param serverNonce printable ASCII without ',' (see {@link #newNonce}) */
    public ScramServer(String serverNonce) {
        this(serverNonce, null, false);
    }

    /**
     * @param channelBinding  the connection's RFC 5929 tls-server-end-point value (the hash of our
     *                        own certificate), or null on a plaintext connection
     * @param bindingRequired with a binding: refuse SCRAM without channel binding
     *                        ({@link RegistryErrors#CHANNEL_BINDING_REQUIRED})
     */
    public ScramServer(String serverNonce, byte[] channelBinding, boolean bindingRequired) {
        this.channelBinding = channelBinding == null ? null : channelBinding.clone();
        this.bindingRequired = channelBinding != null && bindingRequired;
        if (!ScramSyntax.isNonce(serverNonce, ScramSyntax.MIN_NONCE_LENGTH, ScramSyntax.MAX_NONCE_LENGTH)) {
            throw new IllegalArgumentException("server nonce must be 16-64 printable characters without ','");
        }
        this.serverNonce = serverNonce;
    }

    /** 18 random bytes in base64: 24 characters, never a ','. */
    public static String newNonce(SecureRandom random) {
        return ScramSyntax.newNonce(random);
    }

    /**
     * Parses client-first-message: {@code n,,n=<user>,r=<c-nonce>}. Returns the user name as
     * sent (not yet validated or canonicalised). Channel binding and authzid are not supported.
     */
    public String clientFirst(String message) throws ScramException {
        expect(State.NEW);
        state = State.FAILED;
        String[] parts = ScramSyntax.split(message);
        boolean plus = parts.length >= 2 && parts[0].startsWith("p=");
        if (parts.length < 2 || !plus && !"n".equals(parts[0]) && !"y".equals(parts[0])) {
            throw ScramSyntax.malformed("gs2 header must be p=tls-server-end-point,, n,, or y,,");
        }
        if (plus && channelBinding == null) {
            throw ScramSyntax.malformed("channel binding requested on a connection without TLS");
        }
        if (plus && !parts[0].equals("p=" + ScramSyntax.CB_TYPE)) {
            throw ScramSyntax.malformed("unsupported channel binding type; use " + ScramSyntax.CB_TYPE);
        }
        if (!plus && bindingRequired) {
            throw new ScramException(RegistryErrors.CHANNEL_BINDING_REQUIRED,
                    "this registry requires SCRAM-SHA-256-PLUS on TLS: gs2 header p=" + ScramSyntax.CB_TYPE + ",,");
        }
        if (!parts[1].isEmpty()) {
            throw ScramSyntax.malformed("authzid is not supported");
        }
        // A missing n= or r= is reported by attribute() as exactly that, not blamed on the header.
        if (parts.length > 2 && parts[2].startsWith("m=")) {
            throw ScramSyntax.malformed("mandatory extension not supported");
        }
        String name = ScramSyntax.decodeSaslName(ScramSyntax.attribute(parts, 2, 'n'));
        String nonce = ScramSyntax.attribute(parts, 3, 'r');
        if (!ScramSyntax.isNonce(nonce, ScramSyntax.MIN_NONCE_LENGTH, ScramSyntax.MAX_NONCE_LENGTH)) {
            throw ScramSyntax.malformed("client nonce must be 16-64 printable characters");
        }
        if (name.isEmpty()) {
            throw ScramSyntax.malformed("empty user name");
        }
        // Optional extensions after the nonce are ignored, as RFC 5802 asks.
        this.gs2Header = parts[0] + ",,";
        this.expectedCbind = ScramCrypto.unb64(ScramSyntax.cbindAttribute(gs2Header, plus ? channelBinding : null));
        this.username = name;
        this.clientNonce = nonce;
        this.clientFirstBare = message.substring(gs2Header.length());
        state = State.GOT_CLIENT_FIRST;
        return name;
    }

    /** server-first-message: {@code r=<c-nonce><s-nonce>,s=<salt>,i=<iterations>}. */
    public String serverFirst(ScramCredentials credentials, boolean decoy) {
        expect(State.GOT_CLIENT_FIRST);
        this.credentials = credentials;
        this.decoy = decoy;
        this.serverFirst = "r=" + clientNonce + serverNonce
                + ",s=" + ScramCrypto.b64(credentials.saltRef())
                + ",i=" + credentials.iterations();
        state = State.SENT_SERVER_FIRST;
        return serverFirst;
    }

    /**
     * Verifies client-final-message {@code c=<cb>,r=<nonce>,p=<proof>} and returns
     * server-final-message {@code v=<ServerSignature>}. A proof that does not verify, or any
     * proof for a decoy, throws AUTH_FAILED.
     */
    public String clientFinal(String message) throws ScramException {
        expect(State.SENT_SERVER_FIRST);
        state = State.FAILED;
        String[] parts = ScramSyntax.split(message);
        if (parts.length < 3) {
            throw ScramSyntax.malformed("client-final needs c, r and p");
        }
        String cb = ScramSyntax.attribute(parts, 0, 'c');
        String nonce = ScramSyntax.attribute(parts, 1, 'r');
        String proofText = ScramSyntax.attribute(parts, parts.length - 1, 'p');
        byte[] cbBytes = ScramCrypto.unb64(cb);
        if (cbBytes == null || cbBytes.length < gs2Header.length() || !gs2Header.equals(
                new String(cbBytes, 0, gs2Header.length(), java.nio.charset.StandardCharsets.US_ASCII))) {
            throw ScramSyntax.malformed("channel binding does not match the gs2 header");
        }
        if (!MessageDigest.isEqual(cbBytes, expectedCbind)) {
            throw new ScramException(RegistryErrors.CHANNEL_BINDING_MISMATCH,
                    "the channel binding is not this connection's: a machine in the middle may have terminated TLS");
        }
        if (!nonce.equals(clientNonce + serverNonce)) {
            throw ScramSyntax.malformed("nonce does not match");
        }
        byte[] proof = ScramCrypto.unb64(proofText);
        if (proof == null || proof.length != ScramCrypto.HASH_LENGTH) {
            throw ScramSyntax.malformed("proof is not 32 bytes of base64");
        }
        String withoutProof = message.substring(0, message.length() - proofText.length() - 3);
        byte[] authMessage = ScramCrypto.utf8(clientFirstBare + "," + serverFirst + "," + withoutProof);
        // ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); accept iff H(ClientKey) == StoredKey.
        byte[] clientSignature = ScramCrypto.hmac(credentials.storedKeyRef(), authMessage);
        byte[] clientKey = ScramCrypto.xor(proof, clientSignature);
        boolean match = MessageDigest.isEqual(ScramCrypto.h(clientKey), credentials.storedKeyRef());
        byte[] serverSignature = ScramCrypto.hmac(credentials.serverKeyRef(), authMessage);
        if (!match || decoy) {
            throw new ScramException(RegistryErrors.AUTH_FAILED, "authentication failed");
        }
        state = State.DONE;
        return "v=" + ScramCrypto.b64(serverSignature);
    }

    public String username() {
        return username;
    }

    public boolean isAuthenticated() {
        return state == State.DONE;
    }

    private void expect(State s) {
        if (state != s) {
            throw new IllegalStateException("SCRAM server in state " + state + ", expected " + s);
        }
    }
}
