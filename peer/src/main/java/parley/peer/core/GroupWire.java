package parley.peer.core;

import java.nio.ByteBuffer;

/**
 * What {@link Conversations} hands to group chat (issue 14): group payloads (9.3.2, chat kind
 * 0x04) that arrive on an authenticated session, and the end of each group copy we sent on one.
 * Loop thread only.
 */
interface GroupWire {
    /** -1 if {@code payload} is not a group payload; else 0 (taken) or the REJECT reason (9.3.1). */
    int receive(Conversation c, ByteBuffer payload);

    /**
     * True if transport message {@code tid} of session {@code sid} was a group copy, now settled:
     * {@code failure} null means delivered; {@code lost} means the session gave up on it (the
     * mailbox may still take it).
     */
    boolean settle(long sid, long tid, String failure, boolean lost);
}
