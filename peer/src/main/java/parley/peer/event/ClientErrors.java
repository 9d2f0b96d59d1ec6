package parley.peer.event;

/**
 * Error codes of the client itself, for the {@code code} of an {@link ConsoleEvents.Error}; the
 * registry's codes travel under their protocol names (docs/peer-events.md, "Error codes").
 */
public final class ClientErrors {
    public static final String UNKNOWN_COMMAND = "UNKNOWN_COMMAND";
    public static final String USAGE = "USAGE";
    public static final String NOT_LOGGED_IN = "NOT_LOGGED_IN";
    public static final String MESSAGE_TOO_LARGE = "MESSAGE_TOO_LARGE";
    public static final String NO_CHAT_PARTNER = "NO_CHAT_PARTNER";
    public static final String NO_SESSION = "NO_SESSION";
    public static final String STORAGE = "STORAGE";
    public static final String MALFORMED_BODY = "MALFORMED_BODY";
    public static final String INTERNAL = "INTERNAL";
    /** The registry's TLS key is not the pinned one; the connection is refused (docs/peer-events.md). */
    public static final String SERVER_KEY_CHANGED = "SERVER_KEY_CHANGED";
    /** A peer session's identity handshake failed (PROTOCOL.md 7.9): the session was closed. */
    public static final String HANDSHAKE_FAILED = "HANDSHAKE_FAILED";
    /** The contact has no identity key the peer could use (an older client, or a forged bundle). */
    public static final String NO_IDENTITY = "NO_IDENTITY";

    /** /accept file, /decline file or /cancel named no transfer in that state (issue 15). */
    public static final String NO_SUCH_TRANSFER = "NO_SUCH_TRANSFER";
    /** /send could not read (and hash) the file to offer. */
    public static final String FILE_UNREADABLE = "FILE_UNREADABLE";

    private ClientErrors() {
    }
}
