package parley.server.protocol;

import parley.core.wire.BodyReader;

/**
 * The empty body: LOGOUT, WHO and CONTACTS requests, and the success answer of every command
 * whose reply carries nothing (REGISTER, LOGOUT, SET_VISIBILITY, ANNOUNCE_ENDPOINT, the contact
 * commands, BLOCK, UNBLOCK, PEER_ANSWER). Decoding checks that nothing trails.
 */
public final class Empty {
    private Empty() {
    }

    public static void decode(BodyReader r) {
        r.end();
    }
}
