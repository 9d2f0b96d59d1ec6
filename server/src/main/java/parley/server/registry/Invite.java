package parley.server.registry;

import parley.core.loop.Timer;

/** A PEER_CONNECT waiting for its PEER_ANSWER; listed on both accounts (see {@link Invites}). */
final class Invite {
    final int id;
    final Account from;
    final Account to;
    final Timer expiry;

    Invite(int id, Account from, Account to, Timer.Task onExpiry) {
        this.id = id;
        this.from = from;
        this.to = to;
        this.expiry = new Timer(onExpiry);
    }
}
