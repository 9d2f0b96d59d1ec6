package parley.server.registry;

import parley.server.store.RegistryWrites;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.MessageClass;
import parley.server.protocol.Usernames;
import parley.server.policy.Visibility;
import parley.server.policy.VisibilityPolicy;
import parley.server.protocol.Heartbeat;
import parley.server.protocol.Limits;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.SearchRequest;
import parley.server.protocol.SetVisibility;
import parley.server.protocol.UserEntry;
import parley.server.protocol.UserList;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Privacy and presence: who may see whom, the PRESENCE pushes that follow from a change, and the
 * requests that list users (HEARTBEAT, SET_VISIBILITY, WHO, SEARCH). Loop thread only.
 *
 * <p>Privacy is decided in one place, {@link #canSee}, and every path that discloses presence, an
 * endpoint or a session goes through {@link #presenceFor}. A user hidden from the viewer gets the
 * very same answer, built by the very same code, as one who is offline. A user who blocked the
 * viewer is looked up by {@link #findFor}, which answers exactly as for a name that does not
 * exist. Every future disclosure path (groups, a mailbox, a relay) must ask these too, never
 * the account's fields.
 */
final class Presence {
    private final Registry registry;
    private final Replies replies;
    private final RegistryWrites store;
    private final RegistryConfig config;
    private final Relays relays;
    // Reused by every WHO and SEARCH (loop thread only): their answers cost no allocation.
    private final List<Account> listed = new ArrayList<>();
    private final StringBuilder searchKey = new StringBuilder(Limits.MAX_NAME_BYTES);

    private final Cluster cluster;

    Presence(Registry registry, Replies replies, RegistryWrites store, RegistryConfig config, Relays relays, Cluster cluster) {
        this.cluster = cluster;
        this.registry = registry;
        this.replies = replies;
        this.store = store;
        this.config = config;
        this.relays = relays;
    }

    // ---- privacy: the one place where visibility is decided ----------------------------------

    /** The target as the viewer may know it: null when it does not exist or has blocked the viewer. */
    Account findFor(Account viewer, String name) {
        return visibleOrNull(viewer, registry.byKey(Usernames.key(name)));
    }

    /** As {@link #findFor}, from a name key in a reused builder: allocation-free. */
    Account findForKey(Account viewer, CharSequence key) {
        return visibleOrNull(viewer, registry.byKey(key));
    }

    /**
     * The target as the viewer may know it if they are contacts, or have joined one group (7.12,
     * "Group mail": a member seals to and checks the signatures of members it does not know):
     * null when it does not exist, has blocked the viewer, or is neither, all alike
     * (IDENTITY_LOOKUP, section 7.9).
     */
    Account findContactFor(Account viewer, String name) {
        Account t = findFor(viewer, name);
        return t != null && (t.hasContact(viewer) || coMembers.test(viewer, t)) ? t : null;
    }

    private static Account visibleOrNull(Account viewer, Account t) {
        return t == null || t.hasBlocked(viewer) ? null : t;
    }

    /**
     * The account {@code sender} may leave mail for under {@code name}: one that exists, has not
     * blocked the sender, and is its contact. Null otherwise, and the caller answers exactly as
     * {@link #findFor} would for a name nobody owns: absent, blocked-by and non-contact (and
     * oneself) read alike. Visibility does not enter: a contact hidden from the sender still gets
     * mail, and the answer does not tell whether it is online.
     */
    Account mailRecipientFor(Account sender, String name) {
        Account t = findFor(sender, name);
        return t != null && t != sender && (t.hasContact(sender) || coMembers.test(sender, t)) ? t : null;
    }

    /**
     * The co-member {@code name} who blocked {@code sender}, whose deposits from it are answered
     * as stored and discarded (PROTOCOL.md 7.12, "Group mail"); null for anyone else. The sender
     * sees such a member in GROUP_MEMBERS (offline, as {@link #presenceFor} shows a blocker), so
     * NO_SUCH_USER would tell it about the block: a blocker must read as a member who is offline,
     * whose mail is queued and not yet read. Nothing is kept and the blocker is not told.
     */
    Account mailDiscardFor(Account sender, String name) {
        Account t = registry.byKey(Usernames.key(name));
        return t != null && t != sender && t.hasBlocked(sender) && coMembers.test(sender, t) ? t : null;
    }

    /**
     * The account whose identity bundle {@code viewer} may look up under {@code name} (7.9): as
     * {@link #findContactFor}, and also a co-member who blocked the viewer, since the viewer seals
     * its group copies to every member it sees (9.3.2) and a refusal here would tell the block
     * exactly as a refused deposit would ({@link #mailDiscardFor}).
     */
    Account identityFor(Account viewer, String name) {
        Account t = findContactFor(viewer, name);
        return t != null ? t : mailDiscardFor(viewer, name);
    }

    /**
     * Whether two accounts have both joined one group (PROTOCOL.md 7.12, "Group mail"): then each
     * may leave the other sealed mail though they are not contacts, since a group message goes
     * to every member pairwise (9.3.2). An invitee is not a member; a block still wins, in
     * {@link #findFor}. Set by the rules once the group directory exists.
     */
    private java.util.function.BiPredicate<Account, Account> coMembers = (a, b) -> false;

    void coMembers(java.util.function.BiPredicate<Account, Account> p) {
        this.coMembers = p;
    }

    /**
     * The group as {@code viewer} may know it (PROTOCOL.md 7.12): null unless the viewer is a
     * member or an invitee, so a group the viewer is not in reads exactly as one that does not
     * exist. Every group request asks this before anything else.
     */
    static Group groupFor(Account viewer, Group g) {
        return g != null && g.role(viewer) != parley.server.protocol.GroupCodes.ROLE_NONE ? g : null;
    }

    static boolean canSee(Account viewer, Account target) {
        return VisibilityPolicy.canSee(viewer.id, target.id, target.visibility, target.hasContact(viewer), target.hasBlocked(viewer));
    }

    /**
     * Whether a requester and the user it asked for may be introduced and relayed (7.5, 7.8): the
     * requester may see the target, and neither has blocked the other. PEER_ANSWER asks it again
     * before an accept reaches the requester, and the relay asks it after every change of blocks,
     * contacts or visibility ({@link Relays#recheck}).
     */
    static boolean mayMeet(Account requester, Account target) {
        return canSee(requester, target) && !requester.hasBlocked(target);
    }

    /** Presence of {@code target} as {@code viewer} may see it; hidden reads exactly as offline. */
    static int presenceFor(Account viewer, Account target) {
        if (!canSee(viewer, target)) {
            return PresenceState.OFFLINE;
        }
        Session s = target.session;
        if (s != null) {
            return s.presence;
        }
        // Cluster mode: online on another node. The same canSee decided, over replicated state.
        return target.remoteNode != null ? target.remotePresence : PresenceState.OFFLINE;
    }

    long lastSeenFor(Account viewer, Account target) {
        if (!canSee(viewer, target)) {
            return 0;
        }
        return target.isOnline() ? config.wallClockMillis.getAsLong() : target.lastSeenMillis;
    }

    // ---- pushes ------------------------------------------------------------------------------

    /** What each contact of {@code a} sees of it now; hand it to {@link #pushChanges} after a change. */
    int[] seenByContacts(Account a) {
        AccountSet contacts = a.contacts();
        int[] states = new int[contacts.size()];
        int i = 0;
        for (Account c : contacts) {
            states[i++] = presenceFor(c, a);
        }
        return states;
    }

    /** Tells each online contact whose view of {@code a} changed; the others learn nothing. */
    void pushChanges(Account a, int[] before) {
        int i = 0;
        for (Account c : a.contacts()) {
            int was = i < before.length ? before[i] : PresenceState.OFFLINE;
            i++;
            int now = presenceFor(c, a);
            if (now != was && c.session != null) {
                push(c.session, c, a);
            }
        }
    }

    void push(Session to, Account viewer, Account target) {
        BodyWriter w = replies.begin(to.link);
        writeUser(w, viewer, target);
        replies.push(to.link, RegistryOpcodes.PRESENCE);
    }

    void pushIfVisible(Account viewer, Account target) {
        if (viewer.session != null && presenceFor(viewer, target) != PresenceState.OFFLINE) {
            push(viewer.session, viewer, target);
        }
    }

    /** One {@link UserEntry} of {@code target} as {@code viewer} may see it. */
    void writeUser(BodyWriter w, Account viewer, Account target) {
        UserEntry.write(w, target.name, presenceFor(viewer, target), lastSeenFor(viewer, target));
    }

    // ---- requests ----------------------------------------------------------------------------

    void heartbeat(Session s, int correlation, BodyReader r) {
        int state = Heartbeat.decodeRequest(r);
        if (state != PresenceState.ONLINE && state != PresenceState.AWAY) {
            replies.error(s, correlation, ErrorCode.MALFORMED_BODY, "heartbeat state must be 1 (online) or 2 (away)");
            return;
        }
        if (state != s.presence) {
            Account a = s.account;
            int[] before = seenByContacts(a);
            s.presence = state;
            pushChanges(a, before);
            cluster.presenceChanged(a, s);
        }
        BodyWriter w = replies.begin(s.link);
        Heartbeat.encodeReply(w, (int) (config.sessionTimeoutNanos / 1_000_000));
        replies.respond(s.link, MessageClass.CONTROL, RegistryOpcodes.HEARTBEAT, correlation);
    }

    void setVisibility(Session s, int correlation, BodyReader r) {
        Visibility v = Visibility.fromCode(SetVisibility.decode(r).code());
        if (v == null) {
            replies.error(s, correlation, RegistryErrors.BAD_VISIBILITY, "visibility must be 0 (everyone), 1 (contacts) or 2 (nobody)");
            return;
        }
        Account a = s.account;
        store.setVisibility(a.id, v, replies.committed(s, correlation, () -> {
            applyVisibility(a, v);
            // Narrowing is fenced: acknowledged once every node applies it (Cluster.replicate).
            cluster.replicate("VIS " + a.key + " " + v.code(), true,
                    () -> replies.ok(s, RegistryOpcodes.SET_VISIBILITY, correlation),
                    () -> replies.busUnavailable(s, correlation));
        }));
    }

    /** A visibility change, made here or on another node: the pushes and relay checks it causes. */
    void applyVisibility(Account a, Visibility v) {
        int[] before = seenByContacts(a);
        a.visibility = v;
        registry.updatePublic(a);
        pushChanges(a, before);
        relays.recheck(a);
    }

    // WHO and SEARCH run for every peer all day, so they allocate nothing: the sets are walked by
    // slot, the prefix is read into a reused builder and the answer is gathered in a reused list.

    void who(Session s, int correlation, BodyReader r) {
        r.end();
        Account me = s.account;
        List<Account> seen = listed;
        seen.clear();
        int max = config.maxListEntries;
        AccountSet everyone = registry.publicOnline;
        for (int i = 0, n = everyone.slots(); i < n && seen.size() < max; i++) {
            Account a = everyone.slot(i);
            if (a != null && a != me && canSee(me, a)) {
                seen.add(a);
            }
        }
        AccountSet contacts = me.contacts();
        for (int i = 0, n = contacts.slots(); i < n && seen.size() < max; i++) {
            Account c = contacts.slot(i);
            if (c != null && c.visibility != Visibility.EVERYONE && presenceFor(me, c) != PresenceState.OFFLINE) {
                seen.add(c);
            }
        }
        writeUsers(s, correlation, RegistryOpcodes.WHO, seen);
    }

    void search(Session s, int correlation, BodyReader r) {
        StringBuilder prefix = NameKeys.fold(SearchRequest.decodeInto(r, searchKey));
        Account me = s.account;
        List<Account> found = listed;
        found.clear();
        TreeMap<CharSequence, Account> sorted = registry.sorted();
        for (CharSequence k = sorted.ceilingKey(prefix); k != null && found.size() < config.maxListEntries;
             k = sorted.higherKey(k)) {
            String key = (String) k;
            if (!NameKeys.startsWith(key, prefix)) {
                break;
            }
            Account a = registry.byKey(key);
            if (!a.hasBlocked(me)) {
                found.add(a);
            }
        }
        writeUsers(s, correlation, RegistryOpcodes.SEARCH, found);
    }

    private void writeUsers(Session s, int correlation, int opcode, List<Account> users) {
        BodyWriter w = replies.begin(s.link);
        int n = users.size();
        UserList.writeCount(w, n);
        for (int i = 0; i < n; i++) {
            writeUser(w, s.account, users.get(i));
        }
        users.clear(); // the reused list keeps no accounts alive between requests
        replies.respond(s.link, MessageClass.COMMAND, opcode, correlation);
    }
}
