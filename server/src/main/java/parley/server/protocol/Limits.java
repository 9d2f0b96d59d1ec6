package parley.server.protocol;

import parley.core.wire.ErrorBody;

/**
 * Field bounds of registry bodies (docs/PROTOCOL.md section 7). A decoder reads every string and
 * byte string against one of these, so no length from the network sizes anything unchecked.
 */
public final class Limits {
    /** A user name: at most 32 bytes (its characters are checked by the registry, not here). */
    public static final int MAX_NAME_BYTES = 32;
    /** An endpoint host: an IPv4 or IPv6 literal, at most 64 bytes. */
    public static final int MAX_HOST_BYTES = 64;
    /** An X25519 public key in PEER_CONNECT, PEER_ANSWER, PEER_INVITE and PEER_READY. */
    public static final int KEY_BYTES = 32;
    /** A SCRAM message (client-first, server-first, client-final, server-final). */
    public static final int MAX_SCRAM_BYTES = 1024;
    /** REGISTER's salt, and its StoredKey and ServerKey byte strings. */
    public static final int MAX_SALT_BYTES = 64;
    public static final int MAX_KEY_BYTES = 64;
    /** A human-readable reason in a push (SESSION_CLOSED, PEER_DECLINED). */
    public static final int MAX_REASON_BYTES = ErrorBody.MAX_REASON_BYTES;
    /** A UDP probe's id and counter are one i64 each; the challenge is two. */
    public static final int PROBE_ID_BYTES = 8;
    public static final int COUNTER_BYTES = 8;
    public static final int CHALLENGE_BYTES = 16;
    /** A sealed mail blob (MAIL_DEPOSIT, MAIL_FETCH): 1 to 32,768 bytes; more is MAIL_TOO_LARGE. */
    public static final int MAX_MAIL_BLOB_BYTES = 32 * 1024;
    /** MAIL_FETCH asks for 1 to 256 entries per page. */
    public static final int MAX_MAIL_FETCH_ENTRIES = 256;

    private Limits() {
    }
}
