package parley.server.protocol;

import parley.core.wire.ErrorCode;

/**
 * Error codes of the registry, numbered from 100 (1-99 are the core's, in {@link ErrorCode}).
 *
 * <p>Privacy: {@link #NO_SUCH_USER} is the only answer for a name that does not exist, that has
 * blocked the asker, or whose owner hides the information asked for; {@link #AUTH_FAILED} is the
 * only answer for an unknown user and for a wrong password.
 */
public final class RegistryErrors {
    public static final int USERNAME_TOO_SHORT = 100;
    public static final int USERNAME_TOO_LONG = 101;
    public static final int USERNAME_BAD_CHARACTER = 102;
    public static final int USERNAME_TAKEN = 103;
    public static final int AUTH_FAILED = 104;
    public static final int THROTTLED = 105;
    public static final int NOT_AUTHENTICATED = 106;
    public static final int ALREADY_AUTHENTICATED = 107;
    public static final int NO_SUCH_USER = 108;
    public static final int NOT_ONLINE = 109;
    public static final int ALREADY_CONTACTS = 110;
    public static final int REQUEST_PENDING = 111;
    public static final int TOO_MANY_PENDING = 112;
    public static final int NO_PENDING_REQUEST = 113;
    public static final int NOT_A_CONTACT = 114;
    public static final int CANNOT_TARGET_SELF = 115;
    public static final int BAD_VISIBILITY = 116;
    public static final int BAD_CREDENTIALS = 117;
    public static final int SESSION_REPLACED = 118;
    public static final int SESSION_EXPIRED = 119;
    public static final int NO_SUCH_INVITE = 120;
    public static final int STORAGE_FAILED = 121;
    public static final int BAD_ENDPOINT = 122;

    private RegistryErrors() {
    }

    public static String name(int code) {
        String core = ErrorCode.coreName(code);
        if (core != null) {
            return core;
        }
        switch (code) {
            case USERNAME_TOO_SHORT: return "USERNAME_TOO_SHORT";
            case USERNAME_TOO_LONG: return "USERNAME_TOO_LONG";
            case USERNAME_BAD_CHARACTER: return "USERNAME_BAD_CHARACTER";
            case USERNAME_TAKEN: return "USERNAME_TAKEN";
            case AUTH_FAILED: return "AUTH_FAILED";
            case THROTTLED: return "THROTTLED";
            case NOT_AUTHENTICATED: return "NOT_AUTHENTICATED";
            case ALREADY_AUTHENTICATED: return "ALREADY_AUTHENTICATED";
            case NO_SUCH_USER: return "NO_SUCH_USER";
            case NOT_ONLINE: return "NOT_ONLINE";
            case ALREADY_CONTACTS: return "ALREADY_CONTACTS";
            case REQUEST_PENDING: return "REQUEST_PENDING";
            case TOO_MANY_PENDING: return "TOO_MANY_PENDING";
            case NO_PENDING_REQUEST: return "NO_PENDING_REQUEST";
            case NOT_A_CONTACT: return "NOT_A_CONTACT";
            case CANNOT_TARGET_SELF: return "CANNOT_TARGET_SELF";
            case BAD_VISIBILITY: return "BAD_VISIBILITY";
            case BAD_CREDENTIALS: return "BAD_CREDENTIALS";
            case SESSION_REPLACED: return "SESSION_REPLACED";
            case SESSION_EXPIRED: return "SESSION_EXPIRED";
            case NO_SUCH_INVITE: return "NO_SUCH_INVITE";
            case STORAGE_FAILED: return "STORAGE_FAILED";
            case BAD_ENDPOINT: return "BAD_ENDPOINT";
            default: return "ERROR_" + code;
        }
    }
}
