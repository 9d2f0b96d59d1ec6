package parley.server.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.core.loop.Timer;
import parley.core.tcp.TcpConnection;
import parley.core.util.LongObjectMap;
import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.MessageClass;
import parley.server.auth.ScramCredentials;
import parley.server.auth.Usernames;
import parley.server.policy.RateLimiter;
import parley.server.policy.Visibility;
import parley.server.policy.VisibilityPolicy;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.store.AccountRecord;
import parley.server.store.BlockRecord;
import parley.server.store.ContactPair;
import parley.server.store.Completion;
import parley.server.store.ContactRequestRecord;
import parley.server.store.Snapshot;
import parley.server.store.GroupCommitter;
import parley.server.store.StorageFailure;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The registry's state and rules: accounts, sessions, presence, contacts, blocks and peer
 * introductions. Loop thread only.
 *
 * <p>Privacy is decided in one place, {@link #canSee}, and every path that discloses presence, an
 * endpoint or a session goes through {@link #presenceFor}. A user hidden from the viewer gets the
 * very same answer, built by the very same code, as one who is offline. A user who blocked the
 * viewer is looked up by {@link #findFor}, which answers exactly as for a name that does not exist.
 */
public final class Registry {
    private static final Logger log = LoggerFactory.getLogger(Registry.class);
    static final int MAX_NAME_BYTES = 32;
    static final int MAX_HOST_BYTES = 64;
    static final int KEY_BYTES = 32;

    final EventLoop loop;
    final RegistryConfig config;
    final GroupCommitter store;
    final Replies replies;
    private final SecureRandom random = new SecureRandom();

    final Map<String, Account> accountsByKey = new HashMap<>();
    // Keyed by CharSequence so that SEARCH can look a prefix up from a reused builder; the
    // comparator orders exactly as String.compareTo does.
    private final TreeMap<CharSequence, Account> accountsSorted = new TreeMap<>(CharSequence::compare);
    private final LongObjectMap<Account> accountsById = new LongObjectMap<>();
    private final Set<String> namesBeingRegistered = new HashSet<>();
    private final LongObjectMap<Session> sessionsByToken = new LongObjectMap<>();
    /** Online accounts visible to everyone: WHO lists these without scanning every session. */
    private final AccountSet publicOnline = new AccountSet();
    // Reused by every WHO and SEARCH (loop thread only): their answers cost no allocation.
    private final List<Account> listed = new ArrayList<>();
    private final StringBuilder searchKey = new StringBuilder(MAX_NAME_BYTES);
    private final LongObjectMap<Invite> invites = new LongObjectMap<>();
    private int nextInviteId = 1;
    private final Set<Session> live = new HashSet<>();
    private int connections;
    private boolean shuttingDown;
    private final PreLoginLimit preLogin;

    Registry(EventLoop loop, RegistryConfig config, GroupCommitter store, Snapshot snapshot) {
        this.loop = loop;
        this.config = config;
        this.store = store;
        this.replies = new Replies(config.maxFrameLength);
        this.preLogin = new PreLoginLimit(config.maxUnauthenticatedPerAddress);
        for (AccountRecord row : snapshot.accounts()) {
            Account a = new Account(row.id(), row.username(), row.usernameKey(), row.credentials(), row.visibility());
            a.createdAtMillis = row.createdAtMillis();
            addAccount(a);
        }
        for (ContactPair p : snapshot.contacts()) {
            Account a = accountsById.get(p.low());
            Account b = accountsById.get(p.high());
            if (a != null && b != null) {
                Account.link(a, b);
            }
        }
        for (ContactRequestRecord p : snapshot.requests()) {
            Account a = accountsById.get(p.from());
            Account b = accountsById.get(p.to());
            if (a != null && b != null) {
                Account.request(a, b);
            }
        }
        for (BlockRecord p : snapshot.blocks()) {
            Account a = accountsById.get(p.blocker());
            Account b = accountsById.get(p.blocked());
            if (a != null && b != null) {
                Account.block(a, b);
            }
        }
    }

    private void addAccount(Account a) {
        accountsByKey.put(a.key, a);
        accountsSorted.put(a.key, a);
        accountsById.put(a.id, a);
    }

    int accountCount() {
        return accountsByKey.size();
    }

    int connectionCount() {
        return connections;
    }

    // ---- connections and leases -------------------------------------------------------------

    /** Why a new connection must be turned away (a core error code), or 0 to take it. */
    int refusal(TcpConnection c) {
        if (shuttingDown) {
            return ErrorCode.SHUTTING_DOWN;
        }
        if (connections >= config.maxConnections) {
            return ErrorCode.SERVER_FULL;
        }
        return preLogin.full(c) ? ErrorCode.TOO_MANY_CONNECTIONS : 0;
    }

    /** A new connection that {@link #refusal} allowed. */
    Session open(TcpConnection c) {
        connections++;
        Session[] self = new Session[1];
        Session s = new Session(c, now -> onLeaseTimer(self[0], now), new RateLimiter(config.requestsPerSecond,
                config.requestBurst, config.abuseLimit, config.abuseWindowNanos));
        self[0] = s;
        preLogin.enter(s);
        live.add(s);
        long now = loop.nanoTime();
        s.lastActivityNanos = now;
        s.loginClockNanos = now;
        loop.schedule(s.leaseTimer, now + config.loginTimeoutNanos);
        return s;
    }

    void closed(Session s) {
        connections--;
        preLogin.leave(s);
        live.remove(s);
        loop.cancel(s.leaseTimer);
        endSession(s);
    }

    private void onLeaseTimer(Session s, long now) {
        long limit = s.isLoggedIn() ? config.sessionTimeoutNanos : config.loginTimeoutNanos;
        // Before login the deadline runs from accept (or logout), never from the last frame: a
        // socket sending refused requests must not keep itself alive without ever logging in.
        long deadline = (s.isLoggedIn() ? s.lastActivityNanos : s.loginClockNanos) + limit;
        if (now < deadline) {
            loop.schedule(s.leaseTimer, deadline);
            return;
        }
        if (s.isLoggedIn()) {
            log.info("session of {} expired after {} ms without traffic", s.account.name, limit / 1_000_000);
            sessionClosed(s.connection, RegistryErrors.SESSION_EXPIRED, "no heartbeat within the session timeout");
        }
        // A session's end says why in SESSION_CLOSED and in the final ERROR alike (as for
        // replacement and shutdown); a connection that never logged in only gets TIMEOUT.
        if (s.isLoggedIn()) {
            s.connection.closeWithError(0, RegistryErrors.SESSION_EXPIRED, "session expired");
        } else {
            s.connection.closeWithError(0, ErrorCode.TIMEOUT, "no login within the timeout");
        }
        endSession(s);
    }

    /** Counts a request against the session's rate: RateLimiter.ALLOWED, REJECTED or ABUSIVE. */
    int admit(Session s, long now) {
        s.lastActivityNanos = now;
        return s.limiter.check(now);
    }

    /** Ends the logged-in part of a session: the user goes offline (or to another session). */
    private void endSession(Session s) {
        Account a = s.account;
        if (a == null) {
            return;
        }
        s.account = null;
        sessionsByToken.remove(s.tokenHi);
        dropInvitesOf(a);
        if (a.session == s) {
            int[] before = presenceSeenByContacts(a);
            a.session = null;
            a.lastSeenMillis = System.currentTimeMillis();
            publicOnline.remove(a);
            pushPresenceChanges(a, before);
        }
    }

    // ---- login outcome -----------------------------------------------------------------------

    /** Binds a freshly authenticated session to its account, replacing any older session. */
    void loggedIn(Session s, Account a) {
        preLogin.leave(s);
        Session old = a.session;
        int[] before = presenceSeenByContacts(a);
        if (old != null && old != s) {
            old.account = null;
            sessionsByToken.remove(old.tokenHi);
            sessionClosed(old.connection, RegistryErrors.SESSION_REPLACED, "you logged in from another place");
            old.connection.closeWithError(0, RegistryErrors.SESSION_REPLACED, "session replaced by a newer login");
        }
        do {
            s.tokenHi = random.nextLong();
        } while (s.tokenHi == 0 || sessionsByToken.get(s.tokenHi) != null);
        s.tokenLo = random.nextLong();
        s.account = a;
        s.presence = PresenceState.ONLINE;
        a.session = s;
        sessionsByToken.put(s.tokenHi, s);
        updatePublic(a);
        long now = loop.nanoTime();
        s.lastActivityNanos = now;
        loop.schedule(s.leaseTimer, now + config.sessionTimeoutNanos);
        pushPresenceChanges(a, before);
    }

    void logout(Session s, int correlation) {
        endSession(s);
        s.loginClockNanos = loop.nanoTime(); // a fresh login deadline from the logout
        replies.ok(s.connection, RegistryOpcodes.LOGOUT, correlation);
    }

    Account account(String name) {
        return accountsByKey.get(Usernames.key(name));
    }

    // ---- privacy: the one place where visibility is decided ----------------------------------

    /** The target as the viewer may know it: null when it does not exist or has blocked the viewer. */
    Account findFor(Account viewer, String name) {
        Account t = accountsByKey.get(Usernames.key(name));
        if (t == null || t.hasBlocked(viewer)) {
            return null;
        }
        return t;
    }

    static boolean canSee(Account viewer, Account target) {
        return VisibilityPolicy.canSee(viewer.id, target.id, target.visibility, target.hasContact(viewer), target.hasBlocked(viewer));
    }

    /** Presence of {@code target} as {@code viewer} may see it; hidden reads exactly as offline. */
    static int presenceFor(Account viewer, Account target) {
        Session s = target.session;
        return canSee(viewer, target) && s != null ? s.presence : PresenceState.OFFLINE;
    }

    static long lastSeenFor(Account viewer, Account target) {
        if (!canSee(viewer, target)) {
            return 0;
        }
        return target.session != null ? System.currentTimeMillis() : target.lastSeenMillis;
    }

    private void updatePublic(Account a) {
        if (a.session != null && a.visibility == Visibility.EVERYONE) {
            publicOnline.add(a);
        } else {
            publicOnline.remove(a);
        }
    }

    private int[] presenceSeenByContacts(Account a) {
        AccountSet contacts = a.contacts();
        int[] states = new int[contacts.size()];
        int i = 0;
        for (Account c : contacts) {
            states[i++] = presenceFor(c, a);
        }
        return states;
    }

    /** Tells each online contact whose view of {@code a} changed; the others learn nothing. */
    private void pushPresenceChanges(Account a, int[] before) {
        int i = 0;
        for (Account c : a.contacts()) {
            int was = i < before.length ? before[i] : PresenceState.OFFLINE;
            i++;
            int now = presenceFor(c, a);
            if (now != was && c.session != null) {
                pushPresence(c.session, c, a);
            }
        }
    }

    private void pushPresence(Session to, Account viewer, Account target) {
        BodyWriter w = replies.begin(to.connection);
        w.string(target.name).u8(presenceFor(viewer, target)).i64(lastSeenFor(viewer, target));
        replies.push(to.connection, RegistryOpcodes.PRESENCE);
    }

    private void writeUser(BodyWriter w, Account viewer, Account target) {
        w.string(target.name).u8(presenceFor(viewer, target)).i64(lastSeenFor(viewer, target));
    }

    // ---- presence and discovery --------------------------------------------------------------

    void heartbeat(Session s, int correlation, BodyReader r) {
        int state = r.u8();
        r.end();
        if (state != PresenceState.ONLINE && state != PresenceState.AWAY) {
            replyError(s, correlation, ErrorCode.MALFORMED_BODY, "heartbeat state must be 1 (online) or 2 (away)");
            return;
        }
        if (state != s.presence) {
            Account a = s.account;
            int[] before = presenceSeenByContacts(a);
            s.presence = state;
            pushPresenceChanges(a, before);
        }
        BodyWriter w = replies.begin(s.connection);
        w.i32((int) (config.sessionTimeoutNanos / 1_000_000));
        replies.respond(s.connection, MessageClass.CONTROL, RegistryOpcodes.HEARTBEAT, correlation);
    }

    // WHO and SEARCH run for every peer all day, so they allocate nothing: the sets are walked by
    // slot, the prefix is read into a reused builder and the answer is gathered in a reused list.

    void who(Session s, int correlation, BodyReader r) {
        r.end();
        Account me = s.account;
        List<Account> seen = listed;
        seen.clear();
        int max = config.maxListEntries;
        for (int i = 0, n = publicOnline.slots(); i < n && seen.size() < max; i++) {
            Account a = publicOnline.slot(i);
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
        StringBuilder prefix = searchKey(r);
        r.end();
        Account me = s.account;
        List<Account> found = listed;
        found.clear();
        for (CharSequence k = accountsSorted.ceilingKey(prefix); k != null && found.size() < config.maxListEntries;
             k = accountsSorted.higherKey(k)) {
            String key = (String) k;
            if (!startsWith(key, prefix)) {
                break;
            }
            Account a = accountsByKey.get(key);
            if (!a.hasBlocked(me)) {
                found.add(a);
            }
        }
        writeUsers(s, correlation, RegistryOpcodes.SEARCH, found);
    }

    /** The SEARCH prefix as a name key ({@link Usernames#key}), in the reused builder. */
    private StringBuilder searchKey(BodyReader r) {
        StringBuilder b = r.string(MAX_NAME_BYTES, searchKey);
        int n = b.length();
        for (int i = 0; i < n; i++) {
            if (b.charAt(i) >= 0x80) {
                // Never a name, but answered exactly as before: lower-cased by the very same rule.
                String key = Usernames.key(b.toString());
                b.setLength(0);
                return b.append(key);
            }
        }
        for (int i = 0; i < n; i++) {
            char c = b.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                b.setCharAt(i, (char) (c + ('a' - 'A'))); // what toLowerCase(Locale.ROOT) does to ASCII
            }
        }
        return b;
    }

    private static boolean startsWith(String s, CharSequence prefix) {
        int n = prefix.length();
        if (s.length() < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void writeUsers(Session s, int correlation, int opcode, List<Account> users) {
        BodyWriter w = replies.begin(s.connection);
        int n = users.size();
        w.u16(n);
        for (int i = 0; i < n; i++) {
            writeUser(w, s.account, users.get(i));
        }
        users.clear(); // the reused list keeps no accounts alive between requests
        replies.respond(s.connection, MessageClass.COMMAND, opcode, correlation);
    }

    void setVisibility(Session s, int correlation, BodyReader r) {
        Visibility v = Visibility.fromCode(r.u8());
        r.end();
        if (v == null) {
            replyError(s, correlation, RegistryErrors.BAD_VISIBILITY, "visibility must be 0 (everyone), 1 (contacts) or 2 (nobody)");
            return;
        }
        Account a = s.account;
        store.setVisibility(a.id, v, committed(s, correlation, () -> {
            int[] before = presenceSeenByContacts(a);
            a.visibility = v;
            updatePublic(a);
            pushPresenceChanges(a, before);
            replyOk(s, RegistryOpcodes.SET_VISIBILITY, correlation);
        }));
    }

    void announceEndpoint(Session s, int correlation, BodyReader r) {
        String host = r.string(MAX_HOST_BYTES);
        int port = r.u16();
        r.end();
        if (port == 0 || !IpLiteral.isUnicast(host)) {
            replyError(s, correlation, RegistryErrors.BAD_ENDPOINT,
                    "an endpoint is an IPv4 or IPv6 address literal (not a name, not 0.0.0.0, ::, or multicast) and a port from 1 to 65535");
            return;
        }
        s.announcedHost = host;
        s.announcedPort = port;
        replies.ok(s.connection, RegistryOpcodes.ANNOUNCE_ENDPOINT, correlation);
    }

    void lookupEndpoint(Session s, int correlation, BodyReader r) {
        String name = r.string(MAX_NAME_BYTES);
        r.end();
        Account t = findFor(s.account, name);
        if (t == null) {
            replyError(s, correlation, RegistryErrors.NO_SUCH_USER, "no such user: " + name);
            return;
        }
        if (presenceFor(s.account, t) == PresenceState.OFFLINE) {
            replyError(s, correlation, RegistryErrors.PEER_UNAVAILABLE, name + " is not online");
            return;
        }
        BodyWriter w = replies.begin(s.connection);
        writeEndpoints(w, t.session);
        replies.respond(s.connection, MessageClass.COMMAND, RegistryOpcodes.LOOKUP_ENDPOINT, correlation);
    }

    private static void writeEndpoints(BodyWriter w, Session s) {
        w.string(s.announcedHost == null ? "" : s.announcedHost).u16(s.announcedPort);
        InetSocketAddress o = s.observed;
        w.string(o == null ? "" : o.getAddress().getHostAddress()).u16(o == null ? 0 : o.getPort());
    }

    /** The logged-in session a UDP probe token belongs to, or null; see {@link ProbeHandler}. */
    Session sessionByToken(long tokenHi, long tokenLo) {
        Session s = sessionsByToken.get(tokenHi);
        return s == null || s.tokenLo != tokenLo || s.account == null ? null : s;
    }

    // ---- contacts and blocks -----------------------------------------------------------------

    /** Reads the one name a contact command carries and resolves it, answering the error itself; null if it did. */
    private Account contactTarget(Session s, int correlation, BodyReader r) {
        String name = r.string(MAX_NAME_BYTES);
        r.end();
        Account t = findFor(s.account, name);
        if (t == null) {
            replyError(s, correlation, RegistryErrors.NO_SUCH_USER, "no such user: " + name);
            return null;
        }
        if (t == s.account) {
            replyError(s, correlation, RegistryErrors.CANNOT_TARGET_SELF, "you cannot do that to yourself");
            return null;
        }
        return t;
    }

    void contactRequest(Session s, int correlation, BodyReader r) {
        Account me = s.account;
        Account t = contactTarget(s, correlation, r);
        if (t == null) {
            return;
        }
        if (me.hasContact(t)) {
            replyError(s, correlation, RegistryErrors.ALREADY_CONTACTS, "you and " + t.name + " are already contacts");
            return;
        }
        if (me.hasIncoming(t)) {
            // They already asked us: asking back is an accept.
            accept(s, correlation, RegistryOpcodes.CONTACT_REQUEST, t);
            return;
        }
        if (me.hasOutgoing(t)) {
            replyError(s, correlation, RegistryErrors.REQUEST_PENDING, "your request to " + t.name + " is still pending");
            return;
        }
        if (me.hasBlocked(t)) {
            replyError(s, correlation, RegistryErrors.NO_SUCH_USER, "unblock " + t.name + " first");
            return;
        }
        String full = RequestQuota.refusal(me, t, config);
        if (full != null) {
            replyError(s, correlation, RegistryErrors.TOO_MANY_PENDING, full);
            return;
        }
        store.addContactRequest(me.id, t.id, System.currentTimeMillis(), committed(s, correlation, () -> {
            Account.request(me, t);
            replyOk(s, RegistryOpcodes.CONTACT_REQUEST, correlation);
            contactEvent(t, me, ContactEvent.REQUESTED);
        }));
    }

    void contactAccept(Session s, int correlation, BodyReader r) {
        Account t = contactTarget(s, correlation, r);
        if (t == null) {
            return;
        }
        if (!s.account.hasIncoming(t)) {
            replyError(s, correlation, RegistryErrors.NO_PENDING_REQUEST, "no pending request from " + t.name);
            return;
        }
        accept(s, correlation, RegistryOpcodes.CONTACT_ACCEPT, t);
    }

    private void accept(Session s, int correlation, int opcode, Account from) {
        Account me = s.account;
        store.acceptContactRequest(from.id, me.id, System.currentTimeMillis(), committed(s, correlation, () -> {
            Account.link(me, from);
            replyOk(s, opcode, correlation);
            contactEvent(from, me, ContactEvent.ACCEPTED);
            // Each now sees the other as their visibility allows: push the news both ways.
            pushPresenceIfVisible(from, me);
            pushPresenceIfVisible(me, from);
        }));
    }

    private void pushPresenceIfVisible(Account viewer, Account target) {
        if (viewer.session != null && presenceFor(viewer, target) != PresenceState.OFFLINE) {
            pushPresence(viewer.session, viewer, target);
        }
    }

    void contactDecline(Session s, int correlation, BodyReader r) {
        Account t = contactTarget(s, correlation, r);
        if (t == null) {
            return;
        }
        Account me = s.account;
        if (!me.hasIncoming(t)) {
            replyError(s, correlation, RegistryErrors.NO_PENDING_REQUEST, "no pending request from " + t.name);
            return;
        }
        store.removeContactRequest(t.id, me.id, committed(s, correlation, () -> {
            Account.unrequest(t, me);
            replyOk(s, RegistryOpcodes.CONTACT_DECLINE, correlation);
            contactEvent(t, me, ContactEvent.DECLINED);
        }));
    }

    void contactRemove(Session s, int correlation, BodyReader r) {
        Account t = contactTarget(s, correlation, r);
        if (t == null) {
            return;
        }
        Account me = s.account;
        if (!me.hasContact(t)) {
            replyError(s, correlation, RegistryErrors.NOT_CONTACTS, t.name + " is not a contact");
            return;
        }
        store.removeContact(me.id, t.id, committed(s, correlation, () -> {
            boolean theySawMe = presenceFor(t, me) != PresenceState.OFFLINE;
            Account.unlink(me, t);
            replyOk(s, RegistryOpcodes.CONTACT_REMOVE, correlation);
            contactEvent(t, me, ContactEvent.REMOVED);
            if (theySawMe && t.session != null && presenceFor(t, me) == PresenceState.OFFLINE) {
                pushPresence(t.session, t, me);
            }
        }));
    }

    void contacts(Session s, int correlation, BodyReader r) {
        r.end();
        Account me = s.account;
        BodyWriter w = replies.begin(s.connection);
        w.u16(me.contacts().size());
        for (Account c : me.contacts()) {
            writeUser(w, me, c);
        }
        writeNames(w, me.incoming());
        writeNames(w, me.outgoing());
        writeNames(w, me.blocked());
        replies.respond(s.connection, MessageClass.COMMAND, RegistryOpcodes.CONTACTS, correlation);
    }

    private static void writeNames(BodyWriter w, Set<Account> accounts) {
        w.u16(accounts.size());
        for (Account a : accounts) {
            w.string(a.name);
        }
    }

    void block(Session s, int correlation, BodyReader r) {
        Account t = contactTarget(s, correlation, r);
        if (t == null) {
            return;
        }
        Account me = s.account;
        store.block(me.id, t.id, System.currentTimeMillis(), committed(s, correlation, () -> {
            boolean theySawMe = presenceFor(t, me) != PresenceState.OFFLINE;
            Account.block(me, t);
            replyOk(s, RegistryOpcodes.BLOCK, correlation);
            // The blocked user is not told; to them we simply go offline, like anyone leaving.
            if (theySawMe && t.session != null) {
                pushPresence(t.session, t, me);
            }
        }));
    }

    void unblock(Session s, int correlation, BodyReader r) {
        String name = r.string(MAX_NAME_BYTES);
        r.end();
        Account me = s.account;
        Account t = accountsByKey.get(Usernames.key(name));
        if (t == null || !me.hasBlocked(t)) {
            replyError(s, correlation, RegistryErrors.NO_SUCH_USER, "you have not blocked " + name);
            return;
        }
        store.unblock(me.id, t.id, committed(s, correlation, () -> {
            Account.unblock(me, t);
            replyOk(s, RegistryOpcodes.UNBLOCK, correlation);
        }));
    }

    private void contactEvent(Account to, Account about, int kind) {
        if (to.session == null) {
            return; // they will see it in CONTACTS when they next log in
        }
        BodyWriter w = replies.begin(to.session.connection);
        w.string(about.name).u8(kind);
        replies.push(to.session.connection, RegistryOpcodes.CONTACT_EVENT);
    }

    // ---- peer introductions ------------------------------------------------------------------

    private final class Invite {
        final int id;
        final Account from;
        final Account to;
        final Timer expiry;

        Invite(int id, Account from, Account to) {
            this.id = id;
            this.from = from;
            this.to = to;
            this.expiry = new Timer(now -> expireInvite(this));
        }
    }

    void peerConnect(Session s, int correlation, BodyReader r) {
        String name = r.string(MAX_NAME_BYTES);
        long sessionId = r.i64();
        byte[] key = new byte[KEY_BYTES];
        r.fixed(key);
        r.end();
        Account me = s.account;
        Account t = findFor(me, name);
        if (t == null) {
            replyError(s, correlation, RegistryErrors.NO_SUCH_USER, "no such user: " + name);
            return;
        }
        if (t == me) {
            replyError(s, correlation, RegistryErrors.CANNOT_TARGET_SELF, "you cannot open a session with yourself");
            return;
        }
        if (presenceFor(me, t) == PresenceState.OFFLINE) {
            replyError(s, correlation, RegistryErrors.PEER_UNAVAILABLE, name + " is not online");
            return;
        }
        int[] mine = {0};
        invites.forEachValue(i -> mine[0] += i.from == me ? 1 : 0);
        if (mine[0] >= config.maxInvitesPerUser) {
            replyError(s, correlation, RegistryErrors.TOO_MANY_PENDING, "too many session requests waiting for an answer");
            return;
        }
        if (s.announcedHost == null && s.observed == null) {
            replyError(s, correlation, RegistryErrors.NO_ENDPOINT,
                    "announce your UDP endpoint (ANNOUNCE_ENDPOINT) or send a UDP_PROBE before PEER_CONNECT");
            return;
        }
        int id = nextInviteId++;
        if (nextInviteId <= 0) {
            nextInviteId = 1;
        }
        Invite invite = new Invite(id, me, t);
        invites.put(id, invite);
        loop.schedule(invite.expiry, loop.nanoTime() + config.inviteTimeoutNanos);
        BodyWriter w = replies.begin(t.session.connection);
        w.i32(id).string(me.name).i64(sessionId).fixed(key);
        writeEndpoints(w, s);
        replies.push(t.session.connection, RegistryOpcodes.PEER_INVITE);
        w = replies.begin(s.connection);
        w.i32(id);
        replies.respond(s.connection, MessageClass.COMMAND, RegistryOpcodes.PEER_CONNECT, correlation);
    }

    void peerAnswer(Session s, int correlation, BodyReader r) {
        int id = r.i32();
        int accept = r.u8();
        long sessionId = r.i64();
        byte[] key = new byte[KEY_BYTES];
        r.fixed(key);
        r.end();
        Invite invite = invites.get(id);
        if (invite == null || invite.to != s.account) {
            replyError(s, correlation, RegistryErrors.NO_SUCH_INVITE, "no such session request (it may have expired)");
            return;
        }
        invites.remove(id);
        loop.cancel(invite.expiry);
        replies.ok(s.connection, RegistryOpcodes.PEER_ANSWER, correlation);
        Session requester = invite.from.session;
        if (requester == null) {
            return;
        }
        if (accept == 1) {
            BodyWriter w = replies.begin(requester.connection);
            w.i32(id).string(s.account.name).i64(sessionId).fixed(key);
            writeEndpoints(w, s);
            replies.push(requester.connection, RegistryOpcodes.PEER_READY);
        } else {
            declined(invite, "declined");
        }
    }

    private void declined(Invite invite, String why) {
        Session requester = invite.from.session;
        if (requester == null) {
            return;
        }
        BodyWriter w = replies.begin(requester.connection);
        w.i32(invite.id).string(invite.to.name).string(why);
        replies.push(requester.connection, RegistryOpcodes.PEER_DECLINED);
    }

    private void expireInvite(Invite invite) {
        if (invites.remove(invite.id) != null) {
            declined(invite, "no answer");
        }
    }

    private void dropInvitesOf(Account a) {
        List<Invite> gone = new ArrayList<>();
        invites.forEachValue(i -> {
            if (i.from == a || i.to == a) {
                gone.add(i);
            }
        });
        for (Invite i : gone) {
            invites.remove(i.id);
            loop.cancel(i.expiry);
            if (i.to == a) {
                declined(i, "went offline");
            }
        }
    }

    // ---- registration ------------------------------------------------------------------------

    boolean nameTakenOrReserved(String key) {
        return accountsByKey.containsKey(key) || namesBeingRegistered.contains(key);
    }

    void register(Session s, int correlation, String name, ScramCredentials credentials) {
        String key = Usernames.key(name);
        if (nameTakenOrReserved(key)) {
            replyError(s, correlation, RegistryErrors.USERNAME_TAKEN, "the name " + name + " is taken");
            return;
        }
        namesBeingRegistered.add(key);
        store.createAccount(name, key, credentials, Visibility.DEFAULT, config.wallClockMillis.getAsLong(), (row, error) -> {
            namesBeingRegistered.remove(key);
            if (error != null) {
                storageFailed(s, correlation, error);
                return;
            }
            Account a = new Account(row.id(), name, key, credentials, Visibility.DEFAULT);
            a.createdAtMillis = row.createdAtMillis();
            addAccount(a);
            replyOk(s, RegistryOpcodes.REGISTER, correlation);
        });
    }

    // ---- shutdown ----------------------------------------------------------------------------

    void shutdown() {
        shuttingDown = true;
        for (Session s : new ArrayList<>(live)) {
            if (s.connection.isOpen()) {
                sessionClosed(s.connection, ErrorCode.SHUTTING_DOWN, "the registry is shutting down");
                s.connection.closeWithError(0, ErrorCode.SHUTTING_DOWN, "the registry is shutting down");
            }
        }
    }

    void sessionClosed(TcpConnection c, int code, String reason) {
        BodyWriter w = replies.begin(c);
        w.u16(code).string(reason);
        replies.push(c, RegistryOpcodes.SESSION_CLOSED);
    }

    // ---- replies that may come after an asynchronous step ------------------------------------

    void replyOk(Session s, int opcode, int correlation) {
        if (s.connection.isOpen()) {
            replies.ok(s.connection, opcode, correlation);
        }
    }

    void replyError(Session s, int correlation, int code, String reason) {
        if (s.connection.isOpen()) {
            s.connection.sendError(correlation, code, reason);
        }
    }

    /** A storage completion that runs {@code then} once the write has committed, or answers the error. */
    private <T> Completion<T> committed(Session s, int correlation, Runnable then) {
        return (value, error) -> {
            if (error != null) {
                storageFailed(s, correlation, error);
                return;
            }
            then.run();
        };
    }

    private void storageFailed(Session s, int correlation, StorageFailure error) {
        if (StorageErrors.worthLogging(error)) {
            log.error("storage write failed", error);
        }
        replyError(s, correlation, StorageErrors.toWire(error), StorageErrors.reason(error));
    }
}
