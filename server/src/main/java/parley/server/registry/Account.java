package parley.server.registry;

import parley.server.auth.ScramCredentials;
import parley.server.policy.Visibility;


/** One registered user, as the loop holds it. Loop thread only. */
final class Account {
    final long id;
    final String name;
    final String key;
    final ScramCredentials credentials;
    Visibility visibility;
    /** The account's identity bundle (section 7.9), 128 bytes, verified before stored; null until the first. */
    byte[] identity;
    long lastSeenMillis;
    /** Wall-clock time of registration: accounts younger than a day have a smaller contact-request quota. */
    long createdAtMillis;
    Session session;
    /**
     * Cluster mode: the node where this user is online when not here (null: not online elsewhere),
     * the tag (probe id) of that login, and its presence state. Set only by {@link Cluster} from
     * the bus; what anyone may see of it is still decided by {@link Presence#canSee}.
     */
    String remoteNode;
    long remoteTag;
    int remotePresence;
    /** Pending peer introductions this account sent or received; null until its first. */
    Invites invites;

    // Sets are created on first use: most accounts have few or none of each. They are walked by
    // WHO (contacts) and CONTACTS (all four), so they are sets that can be walked without allocating.
    private AccountSet contacts;
    private AccountSet incoming;
    private AccountSet outgoing;
    private AccountSet blocked;

    Account(long id, String name, String key, ScramCredentials credentials, Visibility visibility) {
        this.id = id;
        this.name = name;
        this.key = key;
        this.credentials = credentials;
        this.visibility = visibility;
    }

    boolean isOnline() {
        return session != null || remoteNode != null;
    }

    boolean hasContact(Account a) {
        return contacts != null && contacts.contains(a);
    }

    boolean hasBlocked(Account a) {
        return blocked != null && blocked.contains(a);
    }

    boolean hasIncoming(Account a) {
        return incoming != null && incoming.contains(a);
    }

    boolean hasOutgoing(Account a) {
        return outgoing != null && outgoing.contains(a);
    }

    int incomingCount() {
        return incoming == null ? 0 : incoming.size();
    }

    int outgoingCount() {
        return outgoing == null ? 0 : outgoing.size();
    }

    AccountSet contacts() {
        return contacts == null ? AccountSet.EMPTY : contacts;
    }

    AccountSet incoming() {
        return incoming == null ? AccountSet.EMPTY : incoming;
    }

    AccountSet outgoing() {
        return outgoing == null ? AccountSet.EMPTY : outgoing;
    }

    AccountSet blocked() {
        return blocked == null ? AccountSet.EMPTY : blocked;
    }

    static void link(Account a, Account b) {
        if (a.contacts == null) {
            a.contacts = new AccountSet();
        }
        if (b.contacts == null) {
            b.contacts = new AccountSet();
        }
        a.contacts.add(b);
        b.contacts.add(a);
        unrequest(a, b);
        unrequest(b, a);
    }

    static void unlink(Account a, Account b) {
        if (a.contacts != null) {
            a.contacts.remove(b);
        }
        if (b.contacts != null) {
            b.contacts.remove(a);
        }
    }

    static void request(Account from, Account to) {
        if (from.outgoing == null) {
            from.outgoing = new AccountSet();
        }
        if (to.incoming == null) {
            to.incoming = new AccountSet();
        }
        from.outgoing.add(to);
        to.incoming.add(from);
    }

    static void unrequest(Account from, Account to) {
        if (from.outgoing != null) {
            from.outgoing.remove(to);
        }
        if (to.incoming != null) {
            to.incoming.remove(from);
        }
    }

    static void block(Account blocker, Account target) {
        if (blocker.blocked == null) {
            blocker.blocked = new AccountSet();
        }
        blocker.blocked.add(target);
        unlink(blocker, target);
        unrequest(blocker, target);
        unrequest(target, blocker);
    }

    static void unblock(Account blocker, Account target) {
        if (blocker.blocked != null) {
            blocker.blocked.remove(target);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
