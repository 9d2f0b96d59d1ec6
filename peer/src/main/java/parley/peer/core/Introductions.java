package parley.peer.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.crypto.X25519KeyPair;
import parley.core.wire.BodyReader;
import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.SessionEvents;
import parley.peer.output.EventSink;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.InviteId;
import parley.server.protocol.Limits;
import parley.core.reliable.PathPlan;
import parley.core.reliable.SessionPath;
import parley.server.protocol.Candidate;
import parley.server.protocol.PeerAnswer;
import parley.server.protocol.PeerAnswerReply;
import parley.server.protocol.RelayGrant;
import parley.server.protocol.PeerConnect;
import parley.server.protocol.PeerDeclined;
import parley.server.protocol.PeerIntroduction;
import parley.server.protocol.RegistryOpcodes;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The registry side of opening a peer session (PROTOCOL.md section 7.5): our PEER_CONNECT, the
 * PEER_INVITEs we answer, and the PEER_READY / PEER_DECLINED pushes that end our own requests. It
 * owns those three pushes: the link hands them here, and each body is read (its user name checked
 * by {@link NetworkNames}) once, where it is used.
 *
 * <p>Glare: when both users ask for a session with each other at once, each receives the other's
 * PEER_INVITE while its own request is outstanding. The introduction asked for by the user whose
 * name sorts lower (ASCII, case-insensitive) wins. The winner holds the loser's invite and declines
 * it once its own request is answered; the loser abandons its own request, accepts the winner's
 * invite, and its waiting messages go out on that one session. Both sides decide alone and
 * identically, so no extra message is needed.
 */
final class Introductions {
    private static final Logger log = LoggerFactory.getLogger(Introductions.class);
    /** PEER_CONNECT's answer (the invite id) has not arrived yet. */
    static final int NO_INVITE = -1;
    /** Unanswered invites kept at most (one per user): beyond, new ones are declined at once. */
    static final int MAX_PENDING_INVITES = 64;

    private final RegistryRequests link;
    private final EventSink sink;
    private final ContactGate contacts;
    private final boolean autoAcceptContacts;
    private final Conversations chats;
    private final Reachability reach;
    private final Map<String, Invite> invites = new HashMap<>();

    Introductions(RegistryRequests link, EventSink sink, ContactGate contacts, boolean autoAcceptContacts,
                  Conversations chats, Reachability reach) {
        this.reach = reach;
        this.link = link;
        this.sink = sink;
        this.contacts = contacts;
        this.autoAcceptContacts = autoAcceptContacts;
        this.chats = chats;
        link.onPush(RegistryOpcodes.PEER_INVITE, this::onInvite);
        link.onPush(RegistryOpcodes.PEER_READY, this::onReady);
        link.onPush(RegistryOpcodes.PEER_DECLINED, this::onDeclined);
    }

    static String key(String user) {
        return user.toLowerCase(Locale.ROOT);
    }

    /** True if our own introduction wins a glare with {@code other}: our name sorts lower. */
    static boolean weWin(String self, String other) {
        return key(self).compareTo(key(other)) < 0;
    }

    /** Gets a session for {@code c}, which has messages waiting and no session. */
    void open(Conversation c) {
        if (invites.containsKey(key(c.user))) {
            // They already asked: answering yes is the session the user wants, without a second request.
            accept(c.user);
            return;
        }
        if (!chats.roomForSession(c)) {
            chats.failWaiting(c, "too many chat sessions are open; close some and send again");
            return;
        }
        c.state = Conversation.State.REQUESTING;
        c.keys = X25519KeyPair.generate();
        c.localId = chats.newSessionId();
        c.requestInvite = NO_INVITE;
        byte[] pub = c.keys.publicKey();
        long sid = c.localId;
        int flags = reach.pathFlags();
        List<Candidate> mine = reach.localCandidates();
        link.request(RegistryOpcodes.PEER_CONNECT, w -> new PeerConnect(c.user, sid, pub, flags, mine).encode(w), (err, reason, body) -> {
            if (c.state != Conversation.State.REQUESTING || c.localId != sid) {
                return; // abandoned meanwhile
            }
            if (err == 0) {
                c.requestInvite = InviteId.decode(body).id(); // PEER_READY or PEER_DECLINED with this id follows
                return;
            }
            requestEnded(c);
            Invite held = c.heldInvite;
            c.heldInvite = null;
            if (held != null) {
                acceptInvite(held); // we won a glare but our own request failed: take theirs after all
            } else {
                chats.undeliverable(c, ErrorText.explain(err, reason, c.user));
            }
        });
    }

    private static void requestEnded(Conversation c) {
        c.state = Conversation.State.IDLE;
        c.keys = null;
        c.requestInvite = NO_INVITE;
    }

    private static boolean answersOurRequest(Conversation c, int invite) {
        return c != null && c.state == Conversation.State.REQUESTING && c.keys != null
                && c.requestInvite != NO_INVITE && c.requestInvite == invite;
    }

    private void onReady(BodyReader r) {
        PeerIntroduction intro = PeerIntroduction.decodeReady(r);
        int invite = intro.inviteId();
        String user = NetworkNames.checked(intro.name());
        long remoteId = intro.sessionId();
        byte[] pub = intro.key();
        InetSocketAddress at = Endpoints.pick(intro.endpoints());
        Conversation c = chats.find(user);
        if (!answersOurRequest(c, invite)) {
            log.debug("PEER_READY {} from {} matches no outstanding request: ignored", invite, user);
            return;
        }
        X25519KeyPair keys = c.keys;
        long sid = c.localId;
        requestEnded(c);
        Invite held = c.heldInvite;
        c.heldInvite = null;
        if (held != null) {
            declineQuietly(held); // the glare's losing introduction
        }
        PathPlan plan = reach.plan(intro.relay(), intro.endpoints(), intro.candidates());
        if (plan != null) {
            chats.openSession(c, sid, remoteId, keys, pub, plan, intro.identity()); // relay first: no waiting for punching
            return;
        }
        String refused = reach.noDirect() ? "--no-direct needs the registry's relay, and it granted none"
                : at == null ? user + " has no reachable UDP endpoint" : null;
        if (refused != null) {
            chats.undeliverable(c, refused);
            return;
        }
        chats.openSession(c, sid, remoteId, keys, pub, PathPlan.direct(at), intro.identity());
    }

    private void onDeclined(BodyReader r) {
        PeerDeclined declined = PeerDeclined.decode(r);
        int invite = declined.inviteId();
        String user = NetworkNames.checked(declined.name());
        String why = declined.reason();
        Conversation c = chats.find(user);
        if (!answersOurRequest(c, invite)) {
            return; // e.g. the request we abandoned in a glare
        }
        requestEnded(c);
        Invite held = c.heldInvite;
        c.heldInvite = null;
        if (held != null) {
            acceptInvite(held);
            return;
        }
        String reason = "declined".equals(why) ? user + " declined the chat request" : user + " did not answer (" + why + ")";
        sink.emit(new SessionEvents.SessionDeclined(user, why));
        if ("declined".equals(why)) {
            chats.failWaiting(c, reason);
        } else {
            chats.undeliverable(c, reason);
        }
    }

    private void onInvite(BodyReader r) {
        PeerIntroduction intro = PeerIntroduction.decodeInvite(r);
        int id = intro.inviteId();
        String from = NetworkNames.checked(intro.name());
        long remoteId = intro.sessionId();
        byte[] pub = intro.key();
        InetSocketAddress at = Endpoints.pick(intro.endpoints());
        Invite inv = new Invite(id, from, remoteId, pub, at, intro.endpoints(), intro.candidates(), intro.identity());
        Conversation c = chats.find(from);
        if (c != null && c.state == Conversation.State.REQUESTING) {
            // Glare: both asked at once. Exactly one introduction survives, the same on both sides.
            if (link.user() != null && weWin(link.user(), from)) {
                Invite old = c.heldInvite;
                c.heldInvite = inv;
                if (old != null) {
                    declineQuietly(old);
                }
            } else {
                requestEnded(c); // abandon ours: its PEER_READY / PEER_DECLINED no longer matches
                acceptInvite(inv);
            }
            return;
        }
        if (invites.size() >= MAX_PENDING_INVITES && !invites.containsKey(key(from))) {
            log.warn("declined a chat request from {}: {} requests are waiting already", from, invites.size());
            declineQuietly(inv);
            return;
        }
        Invite old = invites.put(key(from), inv);
        if (old != null) {
            declineQuietly(old); // one pending invite per user: the newest counts
        }
        if (!autoAcceptContacts) {
            sink.emit(new SessionEvents.SessionRequest(from, id));
            return;
        }
        // Right after a login the contact list is not loaded yet: a contact must not be asked as a stranger.
        contacts.whenLoaded(() -> {
            if (invites.get(key(from)) != inv) {
                return; // replaced, cancelled or answered meanwhile
            }
            if (contacts.isContact(from)) {
                accept(from);
            } else {
                sink.emit(new SessionEvents.SessionRequest(from, id));
            }
        });
    }

    boolean hasInvite(String user) {
        return invites.containsKey(key(user));
    }

    void accept(String user) {
        Invite inv = invites.remove(key(user));
        if (inv != null) {
            acceptInvite(inv);
        }
    }

    private void acceptInvite(Invite inv) {
        Conversation c = chats.find(inv.user);
        if (!chats.roomForSession(c)) {
            String refused = "too many chat sessions are open; declined the request from " + inv.user;
            sink.emit(new ConsoleEvents.Error(ClientErrors.NO_SESSION, refused));
            answer(inv, false, 0, new byte[Limits.KEY_BYTES], null);
            if (c != null) {
                chats.failWaiting(c, refused);
            }
            return;
        }
        c = chats.conversation(inv.user);
        X25519KeyPair keys = X25519KeyPair.generate();
        long sid = chats.newSessionId();
        Conversation conv = c;
        if (inv.endpoint != null && !reach.noDirect()) {
            // Open before answering, as without a relay: the requester may send as soon as it hears
            // PEER_READY. A relay granted in the answer's response moves the session onto it.
            // Its first path event waits for that response: relayed, or direct when there is no relay.
            chats.openSession(c, sid, inv.remoteId, keys, inv.remotePublic, PathPlan.direct(inv.endpoint), false, inv.identity);
            answer(inv, true, sid, keys.publicKey(), grant -> {
                SessionPath relay = reach.relay(grant);
                chats.attachRelay(sid, relay, relay == null ? List.of() : reach.targets(inv.endpoints, inv.candidates),
                        reach.noDirect());
            });
            return;
        }
        // No address to start on (the requester asked for the relay only), or we must not send
        // directly: the session opens on the relay granted in the answer's response. Meanwhile new
        // messages wait for it instead of asking for a second session.
        c.state = Conversation.State.ANSWERING;
        c.localId = sid;
        answer(inv, true, sid, keys.publicKey(), grant -> {
            if (conv.state != Conversation.State.ANSWERING || conv.localId != sid) {
                return; // replaced meanwhile
            }
            conv.state = Conversation.State.IDLE;
            PathPlan plan = reach.plan(grant, inv.endpoints, inv.candidates);
            if (plan != null) {
                chats.openSession(conv, sid, inv.remoteId, keys, inv.remotePublic, plan, inv.identity);
                return;
            }
            String refused = reach.noDirect() ? "--no-direct needs the registry's relay, and it granted none"
                    : inv.user + " has no reachable UDP endpoint; ask them to try again";
            sink.emit(new ConsoleEvents.Error(ClientErrors.NO_SESSION, refused));
            chats.undeliverable(conv, refused);
        });
    }

    void decline(String user) {
        Invite inv = invites.remove(key(user));
        if (inv != null) {
            answer(inv, false, 0, new byte[Limits.KEY_BYTES], null);
            sink.emit(new ConsoleEvents.Info("declined the chat request from " + inv.user));
        }
    }

    /** Declines an invite the user never saw; the registry forgets it, and a failure changes nothing. */
    private void declineQuietly(Invite inv) {
        link.request(RegistryOpcodes.PEER_ANSWER,
                w -> new PeerAnswer(inv.id, PeerAnswer.DECLINE, 0, new byte[Limits.KEY_BYTES]).encode(w), (err, reason, body) -> { });
    }

    /** Answers an invite; {@code granted} (if any) hears the relay grant of a successful accept, null for none. */
    private void answer(Invite inv, boolean accept, long sid, byte[] pub, Consumer<RelayGrant> granted) {
        int flags = reach.pathFlags();
        List<Candidate> mine = accept ? reach.localCandidates() : List.of();
        link.request(RegistryOpcodes.PEER_ANSWER,
                w -> new PeerAnswer(inv.id, accept ? PeerAnswer.ACCEPT : PeerAnswer.DECLINE, sid, pub, flags, mine).encode(w),
                (err, reason, body) -> {
                    if (err == 0) {
                        if (granted != null) {
                            granted.accept(grantOf(body));
                        }
                        return;
                    }
                    if (!accept) {
                        sink.emit(new ConsoleEvents.Error(ErrorText.code(err), ErrorText.explain(err, reason, inv.user)));
                        return;
                    }
                    if (err != RegistryClient.CONNECTION_LOST) {
                        chats.closeSession(sid, "the chat request expired");
                    }
                    Conversation c = chats.find(inv.user);
                    if (c != null && c.state == Conversation.State.ANSWERING && c.localId == sid) {
                        c.state = Conversation.State.IDLE;
                        chats.failWaiting(c, ErrorText.explain(err, reason, inv.user));
                    }
                    sink.emit(new ConsoleEvents.Error(ErrorText.code(err), ErrorText.explain(err, reason, inv.user)));
                });
    }

    /** The relay grant in a PEER_ANSWER response; none when it is empty (an older registry) or malformed. */
    private RelayGrant grantOf(BodyReader body) {
        if (body == null || body.remaining() == 0) {
            return null;
        }
        try {
            return PeerAnswerReply.decode(body).relay();
        } catch (parley.core.wire.WireException e) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.MALFORMED_BODY, "ignored a malformed relay grant from the registry: " + e.getMessage()));
            return null;
        }
    }

    void clear() {
        invites.clear();
    }
}
