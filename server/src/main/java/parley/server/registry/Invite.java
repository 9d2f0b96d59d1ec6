package parley.server.registry;

import parley.core.loop.Timer;

/** A PEER_CONNECT waiting for its PEER_ANSWER; listed on both accounts (see {@link Invites}). */
final class Invite {
    final int id;
    final Account from;
    final Account to;
    /** The requester's session id from PEER_CONNECT: its side of a relayed session, if one is made. */
    final long fromSessionId;
    final Timer expiry;
    /** Cluster mode: the node and its invitation id this one came from (the requester is there); null if local. */
    String originNode;
    int originId;

    Invite(int id, Account from, Account to, long fromSessionId, Timer.Task onExpiry) {
        this.id = id;
        this.from = from;
        this.to = to;
        this.fromSessionId = fromSessionId;
        this.expiry = new Timer(onExpiry);
    }
}
