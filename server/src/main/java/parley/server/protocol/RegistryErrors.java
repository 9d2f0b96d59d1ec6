package parley.server.protocol;

/**
 * Error codes of the registry protocol, carried in the core ERROR body (u16 code, reason).
 * Core codes are 1-99 ({@link parley.core.wire.ErrorCode}); the registry's start at 100.
 * Every code is listed with its meaning in docs/PROTOCOL.md; a test keeps the two in step.
 *
 * <p>NO_SUCH_USER deliberately covers "unknown" and "has blocked you", and PEER_UNAVAILABLE
 * covers "offline" and "hidden by visibility": a client must not be able to tell them apart.
 * AUTH_FAILED likewise covers unknown user and wrong password.
 */
public final class RegistryErrors {
    public static final int USERNAME_TOO_SHORT = 100;
    public static final int USERNAME_TOO_LONG = 101;
    public static final int USERNAME_BAD_CHARACTER = 102;
    public static final int USERNAME_TAKEN = 103;
    public static final int AUTH_FAILED = 104;
    public static final int AUTH_MALFORMED = 105;
    public static final int BAD_CREDENTIALS = 106;
    public static final int THROTTLED = 107;
    public static final int NOT_AUTHENTICATED = 108;
    public static final int ALREADY_AUTHENTICATED = 109;
    public static final int NO_SUCH_USER = 110;
    public static final int ALREADY_CONTACTS = 111;
    public static final int REQUEST_PENDING = 112;
    public static final int TOO_MANY_PENDING = 113;
    public static final int NO_PENDING_REQUEST = 114;
    public static final int NOT_CONTACTS = 115;
    public static final int SESSION_REPLACED = 116;
    public static final int SESSION_EXPIRED = 117;
    public static final int BAD_VISIBILITY = 118;
    public static final int CANNOT_TARGET_SELF = 119;
    public static final int PEER_DECLINED = 120;
    public static final int PEER_UNAVAILABLE = 121;
    public static final int NO_ENDPOINT = 122;
    public static final int BAD_ENDPOINT = 123;
    public static final int NO_SUCH_INVITE = 124;
    public static final int STORAGE_FAILED = 125;

    // 130-139: abuse resistance (issue 19).
    public static final int LOGIN_EXPIRED = 130;
    public static final int REGISTER_LIMITED = 131;
    // 132-134: TLS channel binding (issue 18).
    /** On TLS, a login without channel binding (gs2 header n or y) where the operator requires SCRAM-SHA-256-PLUS. */
    public static final int CHANNEL_BINDING_REQUIRED = 132;
    /** The client's channel binding is not this connection's: someone terminated TLS in between. */
    public static final int CHANNEL_BINDING_MISMATCH = 133;
    // 134-135: the mailbox (issue 13).
    /** The recipient's mailbox holds its quota of entries or bytes already. */
    public static final int MAILBOX_FULL = 134;
    /** A MAIL_DEPOSIT blob longer than {@link Limits#MAX_MAIL_BLOB_BYTES}. */
    public static final int MAIL_TOO_LARGE = 135;
    // 136: identity keys (issue 13, section 7.9).
    /** An identity bundle whose signature does not verify (its length is fixed by the layout). */
    public static final int BAD_IDENTITY = 136;
    // 160-169: cluster mode (issue 16, section 7.13).
    /**
     * The registry's database (PostgreSQL in cluster mode) cannot be reached: nothing was changed,
     * and the same request may succeed once it is back. Distinct from STORAGE_FAILED so a client
     * (or an operator reading logs) can tell an outage from a refused write.
     */
    public static final int STORE_UNAVAILABLE = 160;

    // 160-169: cluster mode (issue 16); 160 is the store's (STORE_UNAVAILABLE), 161 the bus's.
    /** A cluster node cut off from its bus (Redis) refuses what needs it; retry, or another node. */
    public static final int BUS_UNAVAILABLE = 161;

    // Groups (section 7.12).
    /** No such group, or the caller is neither a member nor an invitee (indistinguishable). */
    public static final int NO_SUCH_GROUP = 140;
    public static final int GROUP_NAME_TAKEN = 141;
    public static final int BAD_GROUP_NAME = 142;
    public static final int NOT_GROUP_ADMIN = 143;
    public static final int ALREADY_IN_GROUP = 144;
    public static final int NOT_IN_GROUP = 145;
    public static final int GROUP_FULL = 146;
    public static final int TOO_MANY_GROUPS = 147;
    private static final int GROUP_FIRST = NO_SUCH_GROUP;
    private static final int GROUP_LAST = TOO_MANY_GROUPS;

    public static final int FIRST = USERNAME_TOO_SHORT;
    public static final int LAST = STORAGE_FAILED;
    private static final int ABUSE_FIRST = LOGIN_EXPIRED;
    private static final int ABUSE_LAST = MAIL_TOO_LARGE;
    private static final String[] BAD_IDENTITY_ROW =
        {"BAD_IDENTITY", "an identity bundle's signature does not verify, or the bundle is not 128 bytes"};
    private static final String[] BUS_UNAVAILABLE_ROW =
        {"BUS_UNAVAILABLE", "a cluster node lost its bus to the other nodes (Redis): retry later or on another node; a change already made is kept"};

    private static final String[] STORE_UNAVAILABLE_ROW =
        {"STORE_UNAVAILABLE", "the registry's database cannot be reached; nothing was changed, retry later (section 7.13)"};

    private static final String[][] TABLE = {
        {"USERNAME_TOO_SHORT", "user name has fewer than 3 characters"},
        {"USERNAME_TOO_LONG", "user name has more than 32 characters"},
        {"USERNAME_BAD_CHARACTER", "user name has a character other than ASCII letters, digits, '_', '-', '.'; the reason names its position"},
        {"USERNAME_TAKEN", "another account has this name, compared without regard to case"},
        {"AUTH_FAILED", "login failed: unknown user or wrong password (deliberately the same code)"},
        {"AUTH_MALFORMED", "a SCRAM message broke RFC 5802 syntax, used an unsupported feature or a wrong nonce"},
        {"BAD_CREDENTIALS", "registration credentials out of bounds: salt length, iteration count or key length"},
        {"THROTTLED", "too many failed logins for this name or from this address; the reason says when to retry"},
        {"NOT_AUTHENTICATED", "the request needs a logged-in session"},
        {"ALREADY_AUTHENTICATED", "REGISTER or LOGIN_START on a session that is already logged in"},
        {"NO_SUCH_USER", "no user of that name, or that user has blocked you (indistinguishable)"},
        {"ALREADY_CONTACTS", "the two users are already contacts"},
        {"REQUEST_PENDING", "a contact request between the two users is already pending"},
        {"TOO_MANY_PENDING", "the sender has too many outstanding contact requests"},
        {"NO_PENDING_REQUEST", "ACCEPT or DECLINE without a pending request from that user"},
        {"NOT_CONTACTS", "the operation needs the two users to be contacts"},
        {"SESSION_REPLACED", "a newer login of the same account closed this session"},
        {"SESSION_EXPIRED", "no heartbeat within the session timeout"},
        {"BAD_VISIBILITY", "unknown visibility code"},
        {"CANNOT_TARGET_SELF", "contact request, block or peer connect aimed at oneself"},
        {"PEER_DECLINED", "the invited peer declined the connection"},
        {"PEER_UNAVAILABLE", "the user is offline or hides their presence from you (indistinguishable)"},
        {"NO_ENDPOINT", "the caller must announce an endpoint (or be probed over UDP) before PEER_CONNECT"},
        {"BAD_ENDPOINT", "an announced endpoint is not a unicast IP address literal, or its port is 0"},
        {"NO_SUCH_INVITE", "PEER_ANSWER for an invitation that does not exist or has expired"},
        {"STORAGE_FAILED", "the write could not be made durable; nothing was changed"},
    };

    private static final String[][] ABUSE_TABLE = {
        {"LOGIN_EXPIRED", "LOGIN_FINISH came more than 10 s after its LOGIN_START; the attempt counted as a failure, start again"},
        {"REGISTER_LIMITED", "too many registrations from this network or in total; the reason says when to retry"},
        {"CHANNEL_BINDING_REQUIRED", "on a TLS connection, LOGIN_START must use SCRAM-SHA-256-PLUS (gs2 header p=tls-server-end-point)"},
        {"CHANNEL_BINDING_MISMATCH", "the channel binding in LOGIN_FINISH is not this TLS connection's: a machine in the middle terminated TLS"},
        {"MAILBOX_FULL", "the recipient's mailbox holds its quota of messages or bytes; nothing was stored"},
        {"MAIL_TOO_LARGE", "a sealed blob longer than 32,768 bytes"},
    };

    private static final String[][] GROUP_TABLE = {
        {"NO_SUCH_GROUP", "no group of that name, or you are neither its member nor invited to it (indistinguishable)"},
        {"GROUP_NAME_TAKEN", "another group has this name, compared without regard to case"},
        {"BAD_GROUP_NAME", "a group name breaks the user-name rule: 3 to 32 ASCII letters, digits, '_', '-', '.'"},
        {"NOT_GROUP_ADMIN", "only the owner or an admin may do that (the owner alone for GROUP_ROLE or to kick an admin)"},
        {"ALREADY_IN_GROUP", "the user is already a member of the group or invited to it"},
        {"NOT_IN_GROUP", "the user is neither a member of the group nor invited to it"},
        {"GROUP_FULL", "the group has its limit of members and invitees (50)"},
        {"TOO_MANY_GROUPS", "the user belongs to or is invited to 100 groups already"},
    };

    private RegistryErrors() {
    }

    public static boolean isRegistryCode(int code) {
        return row(code) != null;
    }

    /** Symbolic name, or null for a code that is not a registry code. */
    public static String name(int code) {
        String[] row = row(code);
        return row == null ? null : row[0];
    }

    /** One-line meaning for logs and the spec, or null for a code that is not a registry code. */
    public static String meaning(int code) {
        String[] row = row(code);
        return row == null ? null : row[1];
    }

    private static String[] row(int code) {
        if (code >= FIRST && code <= LAST) {
            return TABLE[code - FIRST];
        }
        if (code >= GROUP_FIRST && code <= GROUP_LAST) {
            return GROUP_TABLE[code - GROUP_FIRST];
        }
        if (code == BAD_IDENTITY) {
            return BAD_IDENTITY_ROW;
        }
        if (code == STORE_UNAVAILABLE) {
            return STORE_UNAVAILABLE_ROW;
        }
        if (code == BUS_UNAVAILABLE) {
            return BUS_UNAVAILABLE_ROW;
        }
        return code >= ABUSE_FIRST && code <= ABUSE_LAST ? ABUSE_TABLE[code - ABUSE_FIRST] : null;
    }
}
