package parley.core.wire;

/**
 * Error codes carried by the ERROR message. Codes 1-99 belong to the core; applications number
 * theirs from 100 (the registry's are in the server module). Every code is listed in
 * docs/PROTOCOL.md.
 */
public final class ErrorCode {
    public static final int UNSUPPORTED_VERSION = 1;
    public static final int MALFORMED_HEADER = 2;
    public static final int FRAME_TOO_LARGE = 3;
    public static final int MALFORMED_BODY = 4;
    public static final int UNKNOWN_OPCODE = 5;
    public static final int WRONG_CLASS = 6;
    public static final int RATE_LIMITED = 7;
    public static final int SERVER_FULL = 8;
    public static final int SLOW_CONSUMER = 9;
    public static final int INTERNAL = 10;
    public static final int BAD_STATE = 11;
    public static final int SHUTTING_DOWN = 12;
    public static final int TIMEOUT = 13;
    public static final int TRUNCATED_FRAME = 14;
    /** The source address holds too many connections that have not logged in. */
    public static final int TOO_MANY_CONNECTIONS = 15;

    private ErrorCode() {
    }

    public static String coreName(int code) {
        switch (code) {
            case UNSUPPORTED_VERSION: return "UNSUPPORTED_VERSION";
            case MALFORMED_HEADER: return "MALFORMED_HEADER";
            case FRAME_TOO_LARGE: return "FRAME_TOO_LARGE";
            case MALFORMED_BODY: return "MALFORMED_BODY";
            case UNKNOWN_OPCODE: return "UNKNOWN_OPCODE";
            case WRONG_CLASS: return "WRONG_CLASS";
            case RATE_LIMITED: return "RATE_LIMITED";
            case SERVER_FULL: return "SERVER_FULL";
            case SLOW_CONSUMER: return "SLOW_CONSUMER";
            case INTERNAL: return "INTERNAL";
            case BAD_STATE: return "BAD_STATE";
            case SHUTTING_DOWN: return "SHUTTING_DOWN";
            case TIMEOUT: return "TIMEOUT";
            case TRUNCATED_FRAME: return "TRUNCATED_FRAME";
            case TOO_MANY_CONNECTIONS: return "TOO_MANY_CONNECTIONS";
            default: return null;
        }
    }
}
