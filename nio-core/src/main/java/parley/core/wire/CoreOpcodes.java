package parley.core.wire;

/**
 * Opcodes owned by the core. Opcodes 0x00-0x0F are reserved for the core; applications number
 * theirs from 0x10. 0x00 is never valid, so a zeroed buffer is never a message.
 */
public final class CoreOpcodes {
    /** CONTROL: an error report with a code and a reason (see {@link ErrorBody}). */
    public static final int ERROR = 0x01;

    public static final int FIRST_APPLICATION_OPCODE = 0x10;

    private CoreOpcodes() {
    }
}
