package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * The SUITES frame (type 0x0C, PROTOCOL.md 9.3): {@code u8} type, {@code u8} mask of the AEADs
 * the frame's sender accepts on this session. Bit 0 ({@link #AES_256_GCM}): datagrams sealed
 * with AES-256-GCM (flags 0x01, 9.2). The other bits are sent as 0 and ignored on receipt, room
 * for later AEADs; ChaCha20-Poly1305 is always accepted and has no bit. {@link Frames#valid}
 * checks its length before it is read; reading and writing allocate nothing.
 */
final class SuitesFrame {
    /** Mask bit 0: the sender accepts datagrams sealed with AES-256-GCM. */
    static final int AES_256_GCM = 0x01;
    /** The bits this version knows; the rest are ignored on receipt. */
    static final int KNOWN_BITS = AES_256_GCM;

    private SuitesFrame() {
    }

    /** Writes a SUITES frame carrying {@code mask}; only known bits are ever sent. */
    static void write(ByteBuffer out, int mask) {
        out.put((byte) Frames.SUITES).put((byte) (mask & KNOWN_BITS));
    }

    /** Reads the mask of a validated SUITES frame, whose type byte was read; unknown bits cleared. */
    static int readMask(ByteBuffer f) {
        return f.get() & KNOWN_BITS;
    }

    /** True if {@code mask} (as {@link #readMask} returns it) says the peer accepts AES-256-GCM. */
    static boolean acceptsGcm(int mask) {
        return (mask & AES_256_GCM) != 0;
    }
}
