package parley.server.registry;

import java.net.InetSocketAddress;

/**
 * One side of a relayed session: its token, its own session id, the registry session that asked
 * for it, and where its datagrams come from now. The relay forwards a datagram that carries this
 * side's token to {@link #other}'s address, and only if its inner destination is
 * {@link #other}'s session id. Loop thread only.
 */
final class RelaySide {
    final RelayPair pair;
    final long tokenHi;
    final long tokenLo;
    final long sessionId;
    /** Null for a requester logged in on another cluster node (Relays#allocateForRemote). */
    final Session session;
    final RelayAccount account;
    RelaySide other;
    /** The source of this side's last valid RELAY datagram; null until the first. */
    InetSocketAddress address;

    RelaySide(RelayPair pair, long tokenHi, long tokenLo, long sessionId, Session session, RelayAccount account) {
        this.pair = pair;
        this.tokenHi = tokenHi;
        this.tokenLo = tokenLo;
        this.sessionId = sessionId;
        this.session = session;
        this.account = account;
    }
}
