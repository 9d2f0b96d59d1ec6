package parley.core.reliable;

/**
 * Hears the path-validation frames of an authenticated packet (PROTOCOL.md 9.6). The reliable
 * logic knows no addresses; the session that does decides what a challenge or response means.
 */
public interface PathListener {
    /** Ignores both frames: for sessions that are not on a socket. */
    PathListener NONE = new PathListener() {
        @Override
        public void onPathChallenge(long data) {
        }

        @Override
        public void onPathResponse(long data) {
        }
    };

    /** The peer asks us to prove we receive at the address the packet came from. */
    void onPathChallenge(long data);

    /** The peer echoes a challenge's data. */
    void onPathResponse(long data);
}
