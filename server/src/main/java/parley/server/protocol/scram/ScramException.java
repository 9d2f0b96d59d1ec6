package parley.server.protocol.scram;

/**
 * A SCRAM exchange failed. {@link #code} is the registry error code to send: AUTH_FAILED for a
 * proof or signature that does not verify (unknown user and wrong password alike), AUTH_MALFORMED
 * for a message that breaks the syntax. No stack trace: this is an expected outcome of bad input.
 */
public final class ScramException extends Exception {
    private final int code;

    public ScramException(int code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
