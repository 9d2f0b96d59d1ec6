package parley.core.wire;

/**
 * The three classes of message. The class is on the wire so that a receiver can apply class-wide
 * rules (rate limits, ordering, whether an answer is owed) before it understands the opcode.
 */
public final class MessageClass {
    /** A request that changes or reads state and is always answered (reply or ERROR). */
    public static final int COMMAND = 1;
    /** Application payload: chat text, fragments, bulk bytes. */
    public static final int DATA = 2;
    /** Connection housekeeping: heartbeats, acks, errors, notifications. */
    public static final int CONTROL = 3;

    private MessageClass() {
    }

    public static boolean isValid(int c) {
        return c >= COMMAND && c <= CONTROL;
    }

    public static String name(int c) {
        switch (c) {
            case COMMAND: return "COMMAND";
            case DATA: return "DATA";
            case CONTROL: return "CONTROL";
            default: return "UNKNOWN(" + c + ")";
        }
    }
}
