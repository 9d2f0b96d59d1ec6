package parley.core.reliable;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * How a session starts and where it may go (PROTOCOL.md 7.8): relay-first when the registry
 * granted a relay, with the direct addresses to punch to; otherwise straight to the one direct
 * address the registry gave, as before relays existed. {@code noDirect} keeps the session on the
 * relay for good: no punching, no migration, and direct path challenges go unanswered, so the
 * peer never learns this side's address from it.
 */
public final class PathPlan {
    final InetSocketAddress direct;
    final SessionPath relay;
    final List<InetSocketAddress> punchTargets;
    final boolean noDirect;

    private PathPlan(InetSocketAddress direct, SessionPath relay, List<InetSocketAddress> punchTargets, boolean noDirect) {
        this.direct = direct;
        this.relay = relay;
        this.punchTargets = List.copyOf(punchTargets);
        this.noDirect = noDirect;
    }

    /** No relay: the session sends to {@code peer} from the start (and follows validated rebinding). */
    public static PathPlan direct(InetSocketAddress peer) {
        return new PathPlan(peer, null, List.of(), false);
    }

    /**
     * Relay first: every datagram goes through {@code relay} until a direct path to one of
     * {@code punchTargets} validates (none when {@code noDirect}).
     */
    public static PathPlan relayFirst(SessionPath relay, List<InetSocketAddress> punchTargets, boolean noDirect) {
        if (!relay.relayed()) {
            throw new IllegalArgumentException("not a relayed path: " + relay);
        }
        return new PathPlan(null, relay, noDirect ? List.of() : punchTargets, noDirect);
    }

    /** The path the session's first datagram takes. */
    public SessionPath first() {
        return relay != null ? relay : SessionPath.direct(direct);
    }
}
