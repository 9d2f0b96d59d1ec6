package parley.core.reliable;

/**
 * Hears what concerns a session's path. The reliable logic knows no addresses: it reports the
 * path-validation frames of an authenticated packet (PROTOCOL.md 9.6) and its probe timeouts to
 * the session that does, and that session reports its path changes (migration to a direct path,
 * fallback to the relay, NAT rebinding) to the application. Every method does nothing by default.
 */
public interface PathListener {
    /** Ignores everything: for sessions that are not on a socket. */
    PathListener NONE = new PathListener() {
    };

    /** The peer asks us to prove we receive at the address the packet came from. */
    default void onPathChallenge(long data) {
    }

    /** The peer echoes a challenge's data. */
    default void onPathResponse(long data) {
    }

    /** A probe timeout fired (RFC 9002 PTO): acknowledgements stopped, perhaps because the path died. */
    default void onProbeTimeout(long now) {
    }

    /** The session now sends on {@code path}; {@code why} says what moved it, for logs and users. */
    default void onPathChanged(SessionPath path, String why) {
    }

    /**
     * A round of hole punching ended: {@code direct} when a direct path validated (after its
     * {@link #onPathChanged}), false when the round's time ran out with no answer and the session
     * stays on the relay. Why: without it, an application (or a test) can only wait out
     * {@link PathProber#DURATION_NANOS} on a real clock to know the path is settled. A session
     * that never punches (no relay, relay only, nothing to punch to) reports nothing here; ask
     * {@link PeerSession#punching()} after it opened or a relay was attached.
     */
    default void onPunchingEnded(boolean direct) {
    }
}
