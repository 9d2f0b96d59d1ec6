package parley.server.registry;

import parley.server.store.RegistryWrites;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.MessageClass;
import parley.server.protocol.ContactEventPush;
import parley.server.protocol.ContactsReply;
import parley.server.protocol.Empty;
import parley.server.protocol.NameBody;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.UserList;
import parley.server.protocol.Usernames;

/**
 * Contacts and blocks: requests, accepting, declining, removing, the CONTACTS list, BLOCK and
 * UNBLOCK, and the CONTACT_EVENT pushes they cause. Each change is durable before it is applied
 * and answered. What a change discloses goes through {@link Presence}. Loop thread only.
 */
final class Contacts {
    private final Registry registry;
    private final Presence presence;
    private final Replies replies;
    private final RegistryWrites store;
    private final RegistryConfig config;
    private final Relays relays;
    private final Cluster cluster;

    Contacts(Registry registry, Presence presence, Replies replies, RegistryWrites store, RegistryConfig config,
             Relays relays, Cluster cluster) {
        this.cluster = cluster;
        this.relays = relays;
        this.registry = registry;
        this.presence = presence;
        this.replies = replies;
        this.store = store;
        this.config = config;
    }

    private long now() {
        return config.wallClockMillis.getAsLong();
    }

    /** Reads the one name a contact command carries and resolves it, answering the error itself; null if it did. */
    private Account target(Session s, int correlation, BodyReader r) {
        return target(s, correlation, NameBody.decode(r).name());
    }

    private Account target(Session s, int correlation, String name) {
        Account t = presence.findFor(s.account, name);
        if (t == null) {
            replies.error(s, correlation, RegistryErrors.NO_SUCH_USER, "no such user: " + name);
            return null;
        }
        if (t == s.account) {
            replies.error(s, correlation, RegistryErrors.CANNOT_TARGET_SELF, "you cannot do that to yourself");
            return null;
        }
        return t;
    }

    /**
     * Cluster mode on a shared store: runs {@code then} once memory is as fresh as the store for
     * a name key (ClusterResync#fresh); set by the rules. Alone: at once.
     */
    java.util.function.BiConsumer<String, Runnable> fresh = (key, then) -> then.run();

    /**
     * A request naming a user this node does not know (or may not see) asks the store first, in
     * cluster mode: an account registered on another node an instant ago, whose announcement is
     * still on the bus, is then found (PROTOCOL.md 7.13). Every name that fails the lookup, a
     * blocker's as a nonexistent one's, costs the same store read, so the answer's timing tells
     * them apart no more than its content does.
     */
    void request(Session s, int correlation, BodyReader r) {
        String name = NameBody.decode(r).name();
        Account me = s.account;
        if (cluster.clustered() && presence.findFor(me, name) == null && Usernames.check(name) == 0) {
            fresh.accept(Usernames.key(name), () -> {
                if (s.link.isOpen() && s.account == me) {
                    request(s, correlation, me, name);
                }
            });
            return;
        }
        request(s, correlation, me, name);
    }

    private void request(Session s, int correlation, Account me, String name) {
        Account t = target(s, correlation, name);
        if (t == null) {
            return;
        }
        if (me.hasContact(t)) {
            replies.error(s, correlation, RegistryErrors.ALREADY_CONTACTS, "you and " + t.name + " are already contacts");
            return;
        }
        if (me.hasIncoming(t)) {
            // They already asked us: asking back is an accept.
            accept(s, correlation, RegistryOpcodes.CONTACT_REQUEST, t);
            return;
        }
        if (me.hasOutgoing(t)) {
            replies.error(s, correlation, RegistryErrors.REQUEST_PENDING, "your request to " + t.name + " is still pending");
            return;
        }
        if (me.hasBlocked(t)) {
            replies.error(s, correlation, RegistryErrors.NO_SUCH_USER, "unblock " + t.name + " first");
            return;
        }
        String full = RequestQuota.refusal(me, t, config);
        if (full != null) {
            replies.error(s, correlation, RegistryErrors.TOO_MANY_PENDING, full);
            return;
        }
        store.addContactRequest(me.id, t.id, now(), replies.committed(s, correlation, () -> {
            Account.request(me, t);
            replies.ok(s, RegistryOpcodes.CONTACT_REQUEST, correlation);
            event(t, me, ContactEventPush.REQUESTED);
            replicate("REQ", me, t, false, s, RegistryOpcodes.CONTACT_REQUEST, correlation);
        }));
    }

    void accept(Session s, int correlation, BodyReader r) {
        Account t = target(s, correlation, r);
        if (t == null) {
            return;
        }
        if (!s.account.hasIncoming(t)) {
            replies.error(s, correlation, RegistryErrors.NO_PENDING_REQUEST, "no pending request from " + t.name);
            return;
        }
        accept(s, correlation, RegistryOpcodes.CONTACT_ACCEPT, t);
    }

    private void accept(Session s, int correlation, int opcode, Account from) {
        Account me = s.account;
        store.acceptContactRequest(from.id, me.id, now(), replies.committed(s, correlation, () -> {
            Account.link(me, from);
            replies.ok(s, opcode, correlation);
            linked(me, from);
            replicate("LNK", me, from, false, s, opcode, correlation);
        }));
    }

    /** After {@code me} accepted {@code from}: the event, and each sees the other as their visibility allows. */
    private void linked(Account me, Account from) {
        event(from, me, ContactEventPush.ACCEPTED);
        presence.pushIfVisible(from, me);
        presence.pushIfVisible(me, from);
    }

    void decline(Session s, int correlation, BodyReader r) {
        Account t = target(s, correlation, r);
        if (t == null) {
            return;
        }
        Account me = s.account;
        if (!me.hasIncoming(t)) {
            replies.error(s, correlation, RegistryErrors.NO_PENDING_REQUEST, "no pending request from " + t.name);
            return;
        }
        store.removeContactRequest(t.id, me.id, replies.committed(s, correlation, () -> {
            Account.unrequest(t, me);
            replies.ok(s, RegistryOpcodes.CONTACT_DECLINE, correlation);
            event(t, me, ContactEventPush.DECLINED);
            replicate("URQ", me, t, false, s, RegistryOpcodes.CONTACT_DECLINE, correlation);
        }));
    }

    void remove(Session s, int correlation, BodyReader r) {
        Account t = target(s, correlation, r);
        if (t == null) {
            return;
        }
        Account me = s.account;
        if (!me.hasContact(t)) {
            replies.error(s, correlation, RegistryErrors.NOT_CONTACTS, t.name + " is not a contact");
            return;
        }
        store.removeContact(me.id, t.id, replies.committed(s, correlation, () -> {
            unlinked(me, t);
            replicate("ULK", me, t, true, s, RegistryOpcodes.CONTACT_REMOVE, correlation);
        }));
    }

    /** {@code me} removed {@code t}: the event, and {@code t} stops seeing {@code me} if it only could as a contact. */
    private void unlinked(Account me, Account t) {
        boolean theySawMe = Presence.presenceFor(t, me) != PresenceState.OFFLINE;
        Account.unlink(me, t);
        relays.recheck(me);
        event(t, me, ContactEventPush.REMOVED);
        if (theySawMe && t.session != null && Presence.presenceFor(t, me) == PresenceState.OFFLINE) {
            presence.push(t.session, t, me);
        }
    }

    void list(Session s, int correlation, BodyReader r) {
        Empty.decode(r);
        Account me = s.account;
        BodyWriter w = replies.begin(s.link);
        AccountSet contacts = me.contacts();
        UserList.writeCount(w, contacts.size());
        for (int i = 0, n = contacts.slots(); i < n; i++) {
            Account c = contacts.slot(i);
            if (c != null) {
                presence.writeUser(w, me, c);
            }
        }
        writeNames(w, me.incoming());
        writeNames(w, me.outgoing());
        writeNames(w, me.blocked());
        replies.respond(s.link, MessageClass.COMMAND, RegistryOpcodes.CONTACTS, correlation);
    }

    private static void writeNames(BodyWriter w, AccountSet accounts) {
        ContactsReply.writeNameCount(w, accounts.size());
        for (int i = 0, n = accounts.slots(); i < n; i++) {
            Account a = accounts.slot(i);
            if (a != null) {
                NameBody.write(w, a.name);
            }
        }
    }

    void block(Session s, int correlation, BodyReader r) {
        Account t = target(s, correlation, r);
        if (t == null) {
            return;
        }
        Account me = s.account;
        store.block(me.id, t.id, now(), replies.committed(s, correlation, () -> {
            blocked(me, t);
            replicate("BLK", me, t, true, s, RegistryOpcodes.BLOCK, correlation);
        }));
    }

    /** {@code me} blocked {@code t}: the blocked user is not told; to them we simply go offline, like anyone leaving. */
    private void blocked(Account me, Account t) {
        boolean theySawMe = Presence.presenceFor(t, me) != PresenceState.OFFLINE;
        Account.block(me, t);
        relays.recheck(me);
        if (theySawMe && t.session != null) {
            presence.push(t.session, t, me);
        }
    }

    void unblock(Session s, int correlation, BodyReader r) {
        String name = NameBody.decode(r).name();
        Account me = s.account;
        Account t = registry.account(name);
        if (t == null || !me.hasBlocked(t)) {
            replies.error(s, correlation, RegistryErrors.NO_SUCH_USER, "you have not blocked " + name);
            return;
        }
        store.unblock(me.id, t.id, replies.committed(s, correlation, () -> {
            Account.unblock(me, t);
            replies.ok(s, RegistryOpcodes.UNBLOCK, correlation);
            replicate("UBL", me, t, false, s, RegistryOpcodes.UNBLOCK, correlation);
        }));
    }

    /**
     * Tells the other cluster nodes of a change made here. A narrowing one ({@code fenced}: a
     * block, a removal) is acknowledged only through this, once every node applied it; the
     * others were acknowledged already (widening late discloses nothing too early).
     */
    private void replicate(String kind, Account a, Account b, boolean fenced, Session s, int opcode, int correlation) {
        Runnable ack = fenced ? () -> replies.ok(s, opcode, correlation) : () -> { };
        cluster.replicate(kind + " " + a.key + " " + b.key, fenced, ack, () -> replies.busUnavailable(s, correlation));
    }

    /** A change made on another cluster node, applied here with the pushes it causes to sessions here. */
    void applyRemote(String kind, Account a, Account b) {
        switch (kind) {
            case "REQ": Account.request(a, b); event(b, a, ContactEventPush.REQUESTED); break;
            case "URQ": Account.unrequest(b, a); event(b, a, ContactEventPush.DECLINED); break;
            case "LNK": Account.link(a, b); linked(a, b); break;
            case "ULK": unlinked(a, b); break;
            case "BLK": blocked(a, b); break;
            case "UBL": Account.unblock(a, b); break;
            default: break;
        }
    }

    private void event(Account to, Account about, int kind) {
        if (to.session == null) {
            return; // they will see it in CONTACTS when they next log in
        }
        BodyWriter w = replies.begin(to.session.link);
        ContactEventPush.write(w, about.name, kind);
        replies.push(to.session.link, RegistryOpcodes.CONTACT_EVENT);
    }
}
