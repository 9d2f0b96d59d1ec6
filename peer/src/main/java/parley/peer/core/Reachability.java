package parley.peer.core;

import parley.core.reliable.PathPlan;
import parley.core.reliable.SessionPath;
import parley.server.protocol.Candidate;
import parley.server.protocol.IpLiteral;
import parley.server.protocol.PathFlags;
import parley.server.protocol.RelayGrant;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * This peer's side of reachability (PROTOCOL.md 7.8), in one place: its {@code --no-direct}
 * choice, its local candidates (gathered off the loop by {@link LocalCandidates}), and how an
 * introduction's relay grant, endpoints and candidates become a session's {@link PathPlan}:
 * relay first, punching to every direct address of the other side. Loop thread.
 */
final class Reachability {
    private final boolean noDirect;
    private final InetSocketAddress registryUdp;
    private List<Candidate> local = List.of();

    Reachability(boolean noDirect, InetSocketAddress registryUdp) {
        this.noDirect = noDirect;
        this.registryUdp = registryUdp;
    }

    /** Off: what a peer without relays (and the tests of that time) does. */
    static Reachability none() {
        return new Reachability(false, null);
    }

    boolean noDirect() {
        return noDirect;
    }

    int pathFlags() {
        return noDirect ? PathFlags.NO_DIRECT : 0;
    }

    /** What we tell the registry: nothing with NO_DIRECT (our address stays ours). */
    List<Candidate> localCandidates() {
        return noDirect ? List.of() : local;
    }

    void localCandidates(List<Candidate> gathered) {
        this.local = List.copyOf(gathered);
    }

    /**
     * The session's plan from our relay grant and the other side's direct addresses; null when
     * the registry granted no relay (or one we cannot use), and the session is direct as before.
     */
    PathPlan plan(RelayGrant grant, parley.server.protocol.Endpoints endpoints, List<Candidate> candidates) {
        SessionPath relay = relay(grant);
        return relay == null ? null : PathPlan.relayFirst(relay, targets(endpoints, candidates), noDirect);
    }

    /** The relayed path a grant names: the registry's own UDP address for host "", else an IP literal (never a name: no DNS on the loop). */
    SessionPath relay(RelayGrant grant) {
        if (grant == null) {
            return null;
        }
        InetSocketAddress at;
        if (grant.atRegistry()) {
            at = registryUdp;
        } else {
            InetAddress a = IpLiteral.unicast(grant.host());
            at = a == null ? null : new InetSocketAddress(a, grant.port());
        }
        if (at == null) {
            return null;
        }
        byte[] token = ByteBuffer.allocate(RelayGrant.TOKEN_BYTES).putLong(grant.tokenHi()).putLong(grant.tokenLo()).array();
        return SessionPath.relayed(at, token);
    }

    /** Where to punch: the other side's candidates (already filtered by the registry), then its observed and announced endpoints. */
    List<InetSocketAddress> targets(parley.server.protocol.Endpoints endpoints, List<Candidate> candidates) {
        List<InetSocketAddress> out = new ArrayList<>();
        if (noDirect) {
            return out;
        }
        for (Candidate c : candidates) {
            InetSocketAddress a = c.socketAddress();
            if (!a.getAddress().isMulticastAddress() && !a.getAddress().isAnyLocalAddress() && !out.contains(a)) {
                out.add(a);
            }
        }
        if (endpoints != null) {
            add(out, Endpoints.usable(endpoints.observedHost(), endpoints.observedPort()));
            add(out, Endpoints.usable(endpoints.announcedHost(), endpoints.announcedPort()));
        }
        return out;
    }

    private static void add(List<InetSocketAddress> out, InetSocketAddress a) {
        if (a != null && !out.contains(a)) {
            out.add(a);
        }
    }
}
