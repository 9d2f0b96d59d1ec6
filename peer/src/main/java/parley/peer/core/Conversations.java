package parley.peer.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;
import parley.core.wire.BodyReader;
import parley.peer.event.Event;
import parley.peer.event.Events;
import parley.peer.net.PeerTransport;
import parley.peer.net.SessionStats;
import parley.peer.output.EventSink;
import parley.peer.store.Storage;
import parley.server.client.RegistryClient;
import parley.server.protocol.RegistryOpcodes;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Chats on the loop: opening peer sessions through the registry (PEER_CONNECT, PEER_INVITE,
 * PEER_ANSWER, PEER_READY, PEER_DECLINED), carrying messages over the transport, and following
 * each message through sending, delivered or failed. Every outgoing message is stored as pending
 * first, so none can vanish without a delivered or failed report.
 */
final class Conversations implements PeerTransport.Listener {
    private static final Logger log = LoggerFactory.getLogger(Conversations.class);
    private static final int MAX_NAME = 64;

    private final EventLoop loop;
    private final RegistryLink link;
    private final Storage storage;
    private final EventSink sink;
    private final Predicate<String> isContact;
    private final boolean autoAcceptContacts;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Conversation> byUser = new HashMap<>();
    private final Map<Long, Conversation> bySession = new HashMap<>();
    private final Map<String, Invite> invites = new HashMap<>();
    private PeerTransport transport;
    private long nextId = System.currentTimeMillis() * 1000;

    Conversations(EventLoop loop, RegistryLink link, Storage storage, EventSink sink, Predicate<String> isContact,
                  boolean autoAcceptContacts) {
        this.loop = loop;
        this.link = link;
        this.storage = storage;
        this.sink = sink;
        this.isContact = isContact;
        this.autoAcceptContacts = autoAcceptContacts;
    }

    void transport(PeerTransport t) {
        this.transport = t;
    }

    private static String key(String user) {
        return user.toLowerCase(Locale.ROOT);
    }

    // ---- sending ---------------------------------------------------------------------------------

    void send(String user, String text) {
        int size = ChatPayload.encodedLength(text);
        if (size > transport.maxMessageSize()) {
            sink.emit(Events.error(Events.MESSAGE_TOO_LARGE, "message too large: " + (size - ChatPayload.OVERHEAD)
                    + " bytes, the limit is " + (transport.maxMessageSize() - ChatPayload.OVERHEAD) + "; split it into parts"));
            return;
        }
        if (user.equalsIgnoreCase(link.user())) {
            sink.emit(Events.error("CANNOT_TARGET_SELF", "you cannot send messages to yourself"));
            return;
        }
        Conversation c = byUser.computeIfAbsent(key(user), k -> new Conversation(user));
        Conversation.Outgoing o = new Conversation.Outgoing(nextId++, text, System.currentTimeMillis());
        sink.emit(Events.sending(o.id, c.user, text));
        String peer = c.user;
        storage.write(s -> {
            s.addOutgoing(o.id, peer, o.text, o.sentAt);
            return null;
        });
        if (c.state == Conversation.State.OPEN) {
            transmit(c, o);
            return;
        }
        c.waiting.add(o);
        if (c.state == Conversation.State.IDLE) {
            requestSession(c);
        }
    }

    private void requestSession(Conversation c) {
        c.state = Conversation.State.REQUESTING;
        c.keys = X25519KeyPair.generate();
        c.localId = newSessionId();
        byte[] pub = c.keys.publicKey();
        long sid = c.localId;
        link.request(RegistryOpcodes.PEER_CONNECT, w -> w.string(c.user).i64(sid).fixed(pub), (err, reason, body) -> {
            if (err == 0 || c.state != Conversation.State.REQUESTING || c.localId != sid) {
                return; // accepted: PEER_READY or PEER_DECLINED follows
            }
            c.state = Conversation.State.IDLE;
            failWaiting(c, ErrorText.explain(err, reason, c.user));
        });
    }

    private long newSessionId() {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0 || bySession.containsKey(id));
        return id;
    }

    private void transmit(Conversation c, Conversation.Outgoing o) {
        long tid = transport.send(c.localId, ChatPayload.encode(o.id, o.sentAt, o.text));
        if (tid == PeerTransport.REFUSED) {
            failed(c, o, "too many messages on their way to " + c.user + "; wait for deliveries and send again");
            return;
        }
        c.inflight.put(tid, o);
    }

    private void failWaiting(Conversation c, String reason) {
        while (!c.waiting.isEmpty()) {
            failed(c, c.waiting.poll(), reason);
        }
    }

    private void failed(Conversation c, Conversation.Outgoing o, String reason) {
        sink.emit(Events.failed(o.id, c.user, reason));
        storage.write(s -> {
            s.markFailed(o.id, reason);
            return null;
        });
    }

    // ---- registry pushes ------------------------------------------------------------------------

    void onReady(BodyReader r) {
        int invite = r.i32();
        String user = r.string(MAX_NAME);
        long remoteId = r.i64();
        byte[] pub = new byte[32];
        r.fixed(pub);
        InetSocketAddress at = Endpoints.read(r);
        Conversation c = byUser.get(key(user));
        if (c == null || c.keys == null) {
            log.debug("PEER_READY {} from {} matches no request", invite, user);
            return;
        }
        c.user = user;
        if (at == null) {
            c.state = Conversation.State.IDLE;
            failWaiting(c, user + " has no reachable UDP endpoint");
            return;
        }
        long sid = c.localId;
        if (c.state == Conversation.State.OPEN && sid != 0 && bySession.get(sid) == c && transport.isOpen(sid)) {
            // Both asked at once and we already took their request: keep this one open as well,
            // so what they send on it still arrives.
            sid = newSessionId();
        }
        openSession(c, sid, remoteId, c.keys, pub, at);
    }

    void onDeclined(BodyReader r) {
        r.i32();
        String user = r.string(MAX_NAME);
        String why = r.string(256);
        Conversation c = byUser.get(key(user));
        if (c == null || c.state != Conversation.State.REQUESTING) {
            return;
        }
        c.state = Conversation.State.IDLE;
        String reason = "declined".equals(why) ? user + " declined the chat request" : user + " did not answer (" + why + ")";
        sink.emit(Events.sessionDeclined(user, why));
        failWaiting(c, reason);
    }

    void onInvite(BodyReader r) {
        int id = r.i32();
        String from = r.string(MAX_NAME);
        long remoteId = r.i64();
        byte[] pub = new byte[32];
        r.fixed(pub);
        InetSocketAddress at = Endpoints.read(r);
        invites.put(key(from), new Invite(id, from, remoteId, pub, at));
        Conversation c = byUser.get(key(from));
        boolean weAsked = c != null && c.state == Conversation.State.REQUESTING;
        if (weAsked || (autoAcceptContacts && isContact.test(from))) {
            // We asked them ourselves (both at once), or the user opted in for contacts.
            accept(from);
            return;
        }
        sink.emit(Events.sessionRequest(from, id));
    }

    boolean hasInvite(String user) {
        return invites.containsKey(key(user));
    }

    void accept(String user) {
        Invite inv = invites.remove(key(user));
        if (inv == null) {
            return;
        }
        if (inv.endpoint == null) {
            sink.emit(Events.error(Events.NO_SESSION, inv.user + " has no reachable UDP endpoint; ask them to try again"));
            answer(inv, false, 0, new byte[32]);
            return;
        }
        Conversation c = byUser.computeIfAbsent(key(inv.user), k -> new Conversation(inv.user));
        X25519KeyPair keys = X25519KeyPair.generate();
        long sid = newSessionId();
        // Open before answering: the requester may send as soon as it hears PEER_READY.
        openSession(c, sid, inv.remoteId, keys, inv.remotePublic, inv.endpoint);
        answer(inv, true, sid, keys.publicKey());
    }

    void decline(String user) {
        Invite inv = invites.remove(key(user));
        if (inv != null) {
            answer(inv, false, 0, new byte[32]);
            sink.emit(Events.info("declined the chat request from " + inv.user));
        }
    }

    private void answer(Invite inv, boolean accept, long sid, byte[] pub) {
        link.request(RegistryOpcodes.PEER_ANSWER, w -> w.i32(inv.id).u8(accept ? 1 : 0).i64(sid).fixed(pub),
                (err, reason, body) -> {
                    if (err == 0) {
                        return;
                    }
                    if (accept) {
                        Conversation c = bySession.get(sid);
                        if (c != null && err != RegistryClient.CONNECTION_LOST) {
                            transport.close(sid, "the chat request expired");
                            dropSession(sid, "the chat request expired");
                        }
                    }
                    sink.emit(Events.error(ErrorText.code(err), ErrorText.explain(err, reason, inv.user)));
                });
    }

    private void openSession(Conversation c, long sid, long remoteId, X25519KeyPair keys, byte[] pub, InetSocketAddress at) {
        try {
            transport.open(sid, remoteId, keys, pub, at);
        } catch (IllegalArgumentException e) {
            c.state = Conversation.State.IDLE;
            failWaiting(c, "could not set up the session with " + c.user + ": " + e.getMessage());
            return;
        }
        boolean first = c.state != Conversation.State.OPEN;
        bySession.put(sid, c);
        if (first) {
            c.state = Conversation.State.OPEN;
            c.localId = sid;
            c.fingerprint = transport.fingerprint(sid);
            String user = c.user;
            String fp = c.fingerprint;
            sink.emit(Events.sessionOpen(user, fp));
            storage.write(s -> {
                s.rememberFingerprint(user, fp, System.currentTimeMillis());
                return null;
            });
        }
        while (!c.waiting.isEmpty()) {
            transmit(c, c.waiting.poll());
        }
    }

    // ---- transport callbacks --------------------------------------------------------------------

    @Override
    public void onMessage(long sessionId, byte[] payload) {
        Conversation c = bySession.get(sessionId);
        ChatPayload p = ChatPayload.decode(payload);
        if (c == null || p == null) {
            log.debug("dropped an undecodable message on session {}", sessionId);
            return;
        }
        sink.emit(Events.message(c.user, p.id, p.text, p.sentAt));
        String from = c.user;
        storage.write(s -> {
            s.addIncoming(p.id, from, p.text, p.sentAt);
            return null;
        });
    }

    @Override
    public void onDelivered(long sessionId, long messageId) {
        Conversation c = bySession.get(sessionId);
        Conversation.Outgoing o = c == null ? null : c.inflight.remove(messageId);
        if (o == null) {
            return;
        }
        sink.emit(Events.delivered(o.id, c.user));
        storage.write(s -> {
            s.markDelivered(o.id);
            return null;
        });
    }

    @Override
    public void onFailed(long sessionId, long messageId, String reason) {
        Conversation c = bySession.get(sessionId);
        Conversation.Outgoing o = c == null ? null : c.inflight.remove(messageId);
        if (o != null) {
            failed(c, o, reason);
        }
    }

    @Override
    public void onSessionDead(long sessionId, String reason) {
        dropSession(sessionId, reason);
    }

    private void dropSession(long sessionId, String reason) {
        Conversation c = bySession.remove(sessionId);
        if (c == null || c.localId != sessionId) {
            return;
        }
        Long other = null;
        for (Map.Entry<Long, Conversation> e : bySession.entrySet()) {
            if (e.getValue() == c) {
                other = e.getKey();
            }
        }
        if (other != null) {
            c.localId = other; // the second session of a simultaneous open carries on
            return;
        }
        c.state = Conversation.State.IDLE;
        c.keys = null;
        sink.emit(Events.sessionClosed(c.user, reason));
    }

    // ---- queries --------------------------------------------------------------------------------

    String fingerprint(String user) {
        Conversation c = byUser.get(key(user));
        return c != null && c.state == Conversation.State.OPEN ? c.fingerprint : null;
    }

    Event stats(String self) {
        List<Event.Fields> rows = new ArrayList<>();
        for (Conversation c : byUser.values()) {
            if (c.state != Conversation.State.OPEN) {
                continue;
            }
            SessionStats s = transport.stats(c.localId);
            if (s == null) {
                continue;
            }
            rows.add(new Event.Fields().put("user", c.user)
                    .put("rtt_p50_us", s.rttP50Micros < 0 ? null : s.rttP50Micros)
                    .put("rtt_p99_us", s.rttP99Micros < 0 ? null : s.rttP99Micros)
                    .put("rtt_max_us", s.rttMaxMicros < 0 ? null : s.rttMaxMicros)
                    .put("retransmissions", s.retransmissions).put("loss", s.lossEstimate)
                    .put("bytes_sent", s.bytesSent).put("bytes_received", s.bytesReceived));
        }
        rows.sort((a, b) -> String.valueOf(a.get("user")).compareToIgnoreCase(String.valueOf(b.get("user"))));
        return Events.stats(rows).with("user", self);
    }

    /** Ends every session and fails what is still waiting, e.g. on logout. */
    void closeAll(String reason) {
        invites.clear();
        for (Long sid : new ArrayList<>(bySession.keySet())) {
            transport.close(sid, reason);
            dropSession(sid, reason);
        }
        for (Conversation c : byUser.values()) {
            c.state = Conversation.State.IDLE;
            failWaiting(c, reason);
        }
    }
}
