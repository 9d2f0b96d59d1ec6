package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

/**
 * The {@code u8} path flags of PEER_CONNECT, PEER_ANSWER, PEER_INVITE and PEER_READY
 * (PROTOCOL.md 7.8). Only bit 0 is defined; a set unknown bit is MALFORMED_BODY, so a later bit
 * can never be silently ignored by an older registry.
 */
public final class PathFlags {
    /**
     * This side wants the relay only: the registry discloses neither its endpoint pair nor its
     * candidates to the other side, which therefore never learns its address.
     */
    public static final int NO_DIRECT = 1;
    /** Every defined bit. */
    public static final int KNOWN = NO_DIRECT;

    private PathFlags() {
    }

    public static int read(BodyReader r) {
        int f = r.u8();
        if ((f & ~KNOWN) != 0) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "unknown path flags 0x" + Integer.toHexString(f));
        }
        return f;
    }

    public static boolean noDirect(int flags) {
        return (flags & NO_DIRECT) != 0;
    }
}
