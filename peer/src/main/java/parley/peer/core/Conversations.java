package parley.peer.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;
import parley.core.reliable.PathPlan;
import parley.core.reliable.SessionPath;
import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.MessageEvents;
import parley.peer.event.SessionEvents;
import parley.peer.net.PeerTransport;
import parley.peer.output.EventSink;
import parley.peer.store.StoreWorker;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chats on the loop: at most one peer session per user (opened through the registry by
 * {@link Introductions}, authenticated by {@link SessionAuth}), carrying messages over the transport.
 * Every outgoing message is stored as pending first, so none can vanish without a delivered or
 * failed report; {@link Outbox} follows each one to that end, {@link Inbox} takes what arrives,
 * {@link SessionPaths} reports where each session goes and {@link SessionTraffic} routes the
 * transport's callbacks to these.
 */
final class Conversations {
    private static final Logger log = LoggerFactory.getLogger(Conversations.class);
    private static final int MAX_NAME = 64;

    private final EventLoop loop;
    private final RegistryRequests link;
    private final StoreWorker storage;
    private final EventSink sink;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Conversation> byUser = new HashMap<>();
    private final Map<Long, Conversation> bySession = new HashMap<>();
    private final Introductions intros;
    private final ContactGate contacts;
    private final Identities identities;
    private final SessionAuth auth;
    private final int maxSessions;
    private final int maxText;
    private final Outbox outbox;
    private final Inbox inbox;
    private final SessionPaths paths;
    private PeerTransport transport;
    /** The transport's callbacks for these sessions (what arrives, how each message ends). */
    private final SessionTraffic traffic;
    private SessionFiles files = SessionFiles.NONE;
    private long nextId = System.currentTimeMillis() * 1000;

    Conversations(EventLoop loop, RegistryRequests link, StoreWorker storage, EventSink sink,
                  ContactGate contacts, boolean autoAcceptContacts, int maxSessions, int maxText,
                  Identities identities, java.util.concurrent.Executor worker) {
        this(loop, link, storage, sink, contacts, autoAcceptContacts, maxSessions, maxText, identities, worker,
                Reachability.none());
    }

    Conversations(EventLoop loop, RegistryRequests link, StoreWorker storage, EventSink sink,
                  ContactGate contacts, boolean autoAcceptContacts, int maxSessions, int maxText,
                  Identities identities, java.util.concurrent.Executor worker, Reachability reach) {
        this.identities = identities;
        this.auth = new SessionAuth(loop, worker, identities, this);
        identities.onReleased(this::released);
        this.loop = loop;
        this.link = link;
        this.storage = storage;
        this.sink = sink;
        this.maxSessions = maxSessions;
        this.maxText = maxText;
        this.outbox = new Outbox(sink, storage, identities::isHeld, this::transport, maxText);
        this.inbox = new Inbox(sink, storage, maxText);
        this.paths = new SessionPaths(sink, this::transport);
        this.contacts = contacts;
        this.intros = new Introductions(link, sink, contacts, autoAcceptContacts, this, reach);
        this.traffic = new SessionTraffic(this, auth, inbox, outbox, paths, maxText);
    }

    /** The listener the transport reports these sessions to. */
    PeerTransport.Listener traffic() {
        return traffic;
    }

    void transport(PeerTransport t) {
        this.transport = t;
    }

    void files(SessionFiles f) {
        this.files = f;
    }

    /** Offline delivery: from now on undeliverable messages are sealed into the contact's mailbox. */
    void mailroom(Mailroom m) {
        OfflineMail mail = new OfflineMail(this, m, contacts, identities::isHeld, storage, sink);
        outbox.mail(mail);
        inbox.mail(mail);
    }

    PeerTransport transport() {
        return transport;
    }

    void groups(GroupWire g) {
        traffic.groups(g);
    }

    private static String key(String user) {
        return Introductions.key(user);
    }

    // ---- sending ---------------------------------------------------------------------------------

    void send(String user, String text) {
        byte[] utf8 = ChatPayload.utf8(text);
        int size = utf8.length;
        if (size > maxText) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.MESSAGE_TOO_LARGE, "message too large: " + size
                    + " bytes, the limit is " + maxText + "; split it into parts"));
            return;
        }
        if (user.equalsIgnoreCase(link.user())) {
            sink.emit(new ConsoleEvents.Error("CANNOT_TARGET_SELF", "you cannot send messages to yourself"));
            return;
        }
        Conversation c = conversation(user);
        Conversation.Outgoing o = new Conversation.Outgoing(nextId++, text, utf8, System.currentTimeMillis());
        sink.emit(new MessageEvents.Sending(o.id, c.user, text));
        String peer = c.user;
        storage.write(s -> {
            s.addOutgoing(o.id, peer, o.text, o.sentAt);
            return null;
        });
        if (c.state == Conversation.State.OPEN && c.authenticated && !identities.isHeld(peer)) {
            outbox.transmit(c, o);
            return;
        }
        c.waiting.add(o);
        if (identities.isHeld(peer)) {
            sink.emit(new ConsoleEvents.Info("held: " + peer + "'s identity changed; /verify " + peer
                    + " and then /verify " + peer + " confirm to send (--strict-identity)"));
        }
        if (c.state == Conversation.State.IDLE) {
            intros.open(c);
        }
    }

    long newSessionId() {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0 || bySession.containsKey(id));
        return id;
    }

    /** See {@link Outbox#undeliverable}. */
    void undeliverable(Conversation c, String reason) {
        outbox.undeliverable(c, reason);
    }

    void failWaiting(Conversation c, String reason) {
        outbox.failWaiting(c, reason);
    }

    // ---- answering chat requests (the registry's pushes go to Introductions directly) -------------

    boolean hasInvite(String user) {
        return intros.hasInvite(user);
    }

    void accept(String user) {
        intros.accept(user);
    }

    void decline(String user) {
        intros.decline(user);
    }

    /** Opens a session with {@code user} unless one is open or on its way (for file transfers). */
    void openFor(String user) {
        Conversation c = conversation(user);
        if (c.state == Conversation.State.IDLE) {
            intros.open(c);
        }
    }

    Conversation bySession(long sid) {
        return bySession.get(sid);
    }

    Conversation find(String user) {
        return byUser.get(key(user));
    }

    Conversation conversation(String user) {
        return byUser.computeIfAbsent(key(user), k -> new Conversation(user));
    }

    /**
     * True if {@code c} may have one more session: it replaces c's own (one per user), or the total
     * stays under the cap, so neither a contact nor a registry can open sessions without bound.
     */
    boolean roomForSession(Conversation c) {
        return c != null && c.state == Conversation.State.OPEN || bySession.size() < maxSessions;
    }

    /**
     * Ends the session with {@code user} if one is open, e.g. once we blocked them: they then see
     * it end as when we log out ("closed by peer"), and the registry introduces us no more (7.5),
     * so nothing tells them the block (PROTOCOL.md 9.3.2, Blocking).
     */
    void endSessionWith(String user, String reason) {
        Conversation c = find(user);
        if (c != null && c.state == Conversation.State.OPEN) {
            closeSession(c.localId, reason);
        }
    }

    /** Ends one session from our side; its undelivered messages fail with {@code reason}. */
    void closeSession(long sid, String reason) {
        if (bySession.containsKey(sid)) {
            transport.close(sid, reason);
            dropSession(sid, reason);
        }
    }

    /** Opens the session of {@code c}; one that was open already is closed first (one per user). */
    void openSession(Conversation c, long sid, long remoteId, X25519KeyPair keys, byte[] pub, InetSocketAddress at,
                     parley.server.protocol.IdentityBundle introduced) {
        openSession(c, sid, remoteId, keys, pub, PathPlan.direct(at), introduced);
    }

    /** As above, on the path {@code plan} gives (relay first when the registry granted one). */
    void openSession(Conversation c, long sid, long remoteId, X25519KeyPair keys, byte[] pub, PathPlan plan,
                     parley.server.protocol.IdentityBundle introduced) {
        openSession(c, sid, remoteId, keys, pub, plan, true, introduced);
    }

    /** As above; {@code announce} false holds the first path event back until {@link #attachRelay}. */
    void openSession(Conversation c, long sid, long remoteId, X25519KeyPair keys, byte[] pub, PathPlan plan, boolean announce,
                     parley.server.protocol.IdentityBundle introduced) {
        if (c.state == Conversation.State.OPEN) {
            closeSession(c.localId, "replaced by a new session with " + c.user);
        }
        try {
            transport.open(sid, remoteId, keys, pub, plan);
        } catch (IllegalArgumentException e) {
            c.state = Conversation.State.IDLE;
            failWaiting(c, "could not set up the session with " + c.user + ": " + e.getMessage());
            return;
        }
        bySession.put(sid, c);
        c.state = Conversation.State.OPEN;
        c.localId = sid;
        c.keys = null;
        c.fingerprint = transport.fingerprint(sid);
        String user = c.user;
        String fp = c.fingerprint;
        sink.emit(new SessionEvents.SessionOpen(user, fp));
        if (announce) {
            paths.announce(c, sid);
        }
        storage.write(s -> {
            s.rememberFingerprint(user, fp, System.currentTimeMillis());
            return null;
        });
        // Nothing goes out before the identity handshake: our AUTH first, the waiting messages
        // once theirs verifies (authenticated below).
        auth.start(c, remoteId, keys.publicKey(), pub, introduced);
    }

    /** Sends our AUTH on the session, if it is still the open one. */
    void sendAuth(Conversation c, long sid, byte[] payload) {
        if (c.state != Conversation.State.OPEN || c.localId != sid) {
            return;
        }
        if (transport.send(sid, ByteBuffer.wrap(payload)) == PeerTransport.REFUSED) {
            handshakeFailed(c, sid, "the channel refused the AUTH");
        }
    }

    /** The other side proved its identity: hand over what it sent meanwhile, then what waited for it. */
    void authenticated(Conversation c, java.util.ArrayDeque<ChatPayload> early) {
        while (!early.isEmpty()) {
            inbox.deliver(c, early.poll());
        }
        outbox.flush(c);
        files.onSessionUp(c);
    }

    /** The user confirmed {@code user}'s identity again: held messages may go. */
    private void released(String user) {
        Conversation c = find(user);
        if (c != null) {
            outbox.flush(c);
        }
    }

    /** The identity handshake failed: the session closes, the user is told, waiting messages fail. */
    void handshakeFailed(Conversation c, long sid, String reason) {
        String why = SessionAuth.PREFIX + reason;
        log.warn("{}: {}", c.user, why);
        sink.emit(new ConsoleEvents.Error(ClientErrors.HANDSHAKE_FAILED, why));
        if (c.state == Conversation.State.OPEN && c.localId == sid) {
            closeSession(sid, why);
        }
        failWaiting(c, why);
    }

    // ---- paths and the end of sessions (the transport's callbacks go to SessionTraffic) -----------

    long rejectedIncoming() {
        return inbox.rejectedIncoming();
    }

    /** The PEER_ANSWER response came (the answering side); see {@link SessionPaths#attachRelay}. */
    void attachRelay(long sid, SessionPath relay, List<InetSocketAddress> targets, boolean relayOnly) {
        Conversation c = bySession.get(sid);
        if (c != null && c.localId == sid) {
            paths.attachRelay(c, sid, relay, targets, relayOnly);
        }
    }

    /** /path: where the session with {@code user} goes, or an error when there is none. */
    void showPath(String user) {
        paths.show(user, byUser.get(key(user)));
    }

    /** Session {@code sessionId} ended (closed by us or dead): the user is told, the files pause. */
    void dropSession(long sessionId, String reason) {
        Conversation c = bySession.remove(sessionId);
        boolean current = c != null && c.localId == sessionId && c.state == Conversation.State.OPEN;
        files.onSessionDown(current ? c.user : null, sessionId);
        if (!current) {
            return;
        }
        c.state = Conversation.State.IDLE;
        auth.cancel(c.auth);
        c.auth = null;
        boolean wasAuthenticated = c.authenticated;
        c.authenticated = false;
        sink.emit(new SessionEvents.SessionClosed(c.user, reason));
        if (!wasAuthenticated) {
            failWaiting(c, reason); // they waited for a handshake that will not finish now
        }
    }

    // ---- queries --------------------------------------------------------------------------------

    String fingerprint(String user) {
        Conversation c = byUser.get(key(user));
        return c != null && c.state == Conversation.State.OPEN ? c.fingerprint : null;
    }

    SessionEvents.Stats stats(String self) {
        return StatsRows.of(self, byUser.values(), transport);
    }

    /** Ends every session and fails what is still waiting, e.g. on logout. */
    void closeAll(String reason) {
        intros.clear();
        for (Long sid : new ArrayList<>(bySession.keySet())) {
            transport.close(sid, reason);
            dropSession(sid, reason);
        }
        for (Conversation c : byUser.values()) {
            auth.cancel(c.auth);
            c.auth = null;
            c.authenticated = false;
            c.state = Conversation.State.IDLE;
            c.keys = null;
            c.heldInvite = null;
            failWaiting(c, reason);
        }
    }
}
