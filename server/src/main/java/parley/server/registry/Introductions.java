package parley.server.registry;

import parley.core.util.LongObjectMap;
import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.MessageClass;
import parley.server.protocol.AnnounceEndpoint;
import parley.server.protocol.InviteId;
import parley.server.protocol.IpLiteral;
import parley.server.protocol.Limits;
import parley.server.protocol.NameBody;
import parley.server.protocol.PeerAnswer;
import parley.server.protocol.PeerConnect;
import parley.server.protocol.PeerDeclined;
import parley.server.protocol.PeerIntroduction;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RelayGrant;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * How peers find and reach each other: their UDP endpoints (ANNOUNCE_ENDPOINT, LOOKUP_ENDPOINT)
 * and introductions (PEER_CONNECT, the PEER_INVITE push, PEER_ANSWER, then PEER_READY or
 * PEER_DECLINED). Each account lists its own pending invitations ({@link Invites}), so a user's
 * count and the drop at logout cost that user's invitations only. Whether the target may be
 * reached at all is asked of {@link Presence}. Loop thread only.
 */
final class Introductions {
    private final Presence presence;
    private final Replies replies;
    private final Timers timers;
    private final RegistryConfig config;
    private final Relays relays;
    private final LongObjectMap<Invite> invites = new LongObjectMap<>();
    private int nextInviteId = 1;
    // Reused by every LOOKUP_ENDPOINT: the name as sent (for the error text) and its key.
    private final StringBuilder lookupName = new StringBuilder(Limits.MAX_NAME_BYTES);
    private final StringBuilder lookupKey = new StringBuilder(Limits.MAX_NAME_BYTES);

    final ClusterIntroductions remote;

    Introductions(Presence presence, Replies replies, Timers timers, RegistryConfig config, Relays relays, Cluster cluster) {
        this.remote = new ClusterIntroductions(this, cluster, replies, timers, config);
        this.relays = relays;
        this.presence = presence;
        this.replies = replies;
        this.timers = timers;
        this.config = config;
    }

    // ---- endpoints ---------------------------------------------------------------------------

    void announceEndpoint(Session s, int correlation, BodyReader r) {
        AnnounceEndpoint e = AnnounceEndpoint.decode(r);
        InetAddress address = IpLiteral.unicast(e.host());
        if (e.port() == 0 || address == null) {
            replies.error(s, correlation, RegistryErrors.BAD_ENDPOINT,
                    "an endpoint is an IPv4 or IPv6 address literal (not a name, not 0.0.0.0, ::, or multicast) and a port from 1 to 65535");
            return;
        }
        s.announcedHost = e.host();
        s.announcedPort = e.port();
        s.announcedAddress = address;
        s.announcedLocal = IpLiteral.isLocalScope(address);
        replies.ok(s, RegistryOpcodes.ANNOUNCE_ENDPOINT, correlation);
    }

    /** Peers look each other up before every session, so this allocates nothing when it succeeds. */
    void lookupEndpoint(Session s, int correlation, BodyReader r) {
        StringBuilder name = NameBody.decodeInto(r, lookupName);
        Account t = presence.findForKey(s.account, NameKeys.keyOf(name, lookupKey));
        if (t == null) {
            replies.error(s, correlation, RegistryErrors.NO_SUCH_USER, "no such user: " + name);
            return;
        }
        if (Presence.presenceFor(s.account, t) == PresenceState.OFFLINE) {
            replies.error(s, correlation, RegistryErrors.PEER_UNAVAILABLE, name + " is not online");
            return;
        }
        if (t.session == null) {
            remoteOnly(s, correlation, name);
            return;
        }
        BodyWriter w = replies.begin(s.link);
        Disclosure.writeEndpoints(w, t.session);
        replies.respond(s.link, MessageClass.COMMAND, RegistryOpcodes.LOOKUP_ENDPOINT, correlation);
    }

    // ---- introductions -----------------------------------------------------------------------

    void connect(Session s, int correlation, BodyReader r) {
        PeerConnect m = PeerConnect.decode(r);
        String name = m.name();
        Account me = s.account;
        Account t = presence.findFor(me, name);
        if (t == null) {
            replies.error(s, correlation, RegistryErrors.NO_SUCH_USER, "no such user: " + name);
            return;
        }
        if (t == me) {
            replies.error(s, correlation, RegistryErrors.CANNOT_TARGET_SELF, "you cannot open a session with yourself");
            return;
        }
        if (Presence.presenceFor(me, t) == PresenceState.OFFLINE) {
            replies.error(s, correlation, RegistryErrors.PEER_UNAVAILABLE, name + " is not online");
            return;
        }
        if (Invites.sentBy(me) >= config.maxInvitesPerUser) {
            replies.error(s, correlation, RegistryErrors.TOO_MANY_PENDING, "too many session requests waiting for an answer");
            return;
        }
        if (s.announcedHost == null && s.observed == null) {
            replies.error(s, correlation, RegistryErrors.NO_ENDPOINT,
                    "announce your UDP endpoint (ANNOUNCE_ENDPOINT) or send a UDP_PROBE before PEER_CONNECT");
            return;
        }
        if (t.session == null) {
            remote.connect(s, correlation, m, t); // online on another cluster node
            return;
        }
        int id = newInviteId();
        Invite[] self = new Invite[1];
        Invite invite = new Invite(id, me, t, m.sessionId(), now -> expire(self[0]));
        self[0] = invite;
        invites.put(id, invite);
        Invites.add(invite);
        timers.schedule(invite.expiry, timers.nanoTime() + config.inviteTimeoutNanos);
        BodyWriter w = replies.begin(t.session.link);
        PeerIntroduction.writeHead(w, id, me.name, m.sessionId(), m.key());
        Disclosure.writeIntroduction(w, s, m.pathFlags(), m.candidates());
        PeerIntroduction.writeIdentityTail(w, me.identity);
        replies.push(t.session.link, RegistryOpcodes.PEER_INVITE);
        w = replies.begin(s.link);
        new InviteId(id).encode(w);
        replies.respond(s.link, MessageClass.COMMAND, RegistryOpcodes.PEER_CONNECT, correlation);
    }

    /**
     * An accept reaches the requester only if the pair may still meet (a block or a visibility
     * change since the invite ends it as an expired invite would, 7.8); it then gets a relayed
     * session if the relay has room, and each side its own token.
     */
    void answer(Session s, int correlation, BodyReader r) {
        PeerAnswer m = PeerAnswer.decode(r);
        Invite invite = invites.get(m.inviteId());
        if (invite == null || invite.to != s.account) {
            replies.error(s, correlation, RegistryErrors.NO_SUCH_INVITE, "no such session request (it may have expired)");
            return;
        }
        forget(invite);
        if (invite.originNode != null) {
            fromElsewhereAnswered(s, correlation, m, invite);
            return;
        }
        Session requester = invite.from.session;
        if (m.accepted() && requester != null && !Presence.mayMeet(invite.from, s.account)) {
            replies.error(s, correlation, RegistryErrors.NO_SUCH_INVITE, "no such session request (it may have expired)");
            declined(invite, "went offline");
            return;
        }
        RelayPair relay = m.accepted() && requester != null
                ? relays.allocate(requester, invite.fromSessionId, s, m.sessionId()) : null;
        BodyWriter w = replies.begin(s.link);
        writeGrant(w, relay == null ? null : relay.answererSide);
        replies.respond(s.link, MessageClass.COMMAND, RegistryOpcodes.PEER_ANSWER, correlation);
        if (requester == null) {
            return;
        }
        if (m.accepted()) {
            w = replies.begin(requester.link);
            PeerIntroduction.writeHead(w, invite.id, s.account.name, m.sessionId(), m.key());
            Disclosure.writeIntroduction(w, s, m.pathFlags(), m.candidates());
            writeGrant(w, relay == null ? null : relay.requesterSide);
            PeerIntroduction.writeIdentityTail(w, s.account.identity);
            replies.push(requester.link, RegistryOpcodes.PEER_READY);
        } else {
            declined(invite, "declined");
        }
    }

    /** The target is online on another cluster node, which alone knows its endpoints. */
    private void remoteOnly(Session s, int correlation, CharSequence name) {
        replies.error(s, correlation, RegistryErrors.PEER_UNAVAILABLE, name + " is not reachable from this registry node");
    }

    /** A relay grant for {@code side} at the registry's own UDP port, or "absent". */
    private static void writeGrant(BodyWriter w, RelaySide side) {
        if (side == null) {
            RelayGrant.write(w, null);
        } else {
            RelayGrant.write(w, side.tokenHi, side.tokenLo, "", 0);
        }
    }

    private void forget(Invite invite) {
        invites.remove(invite.id);
        Invites.remove(invite);
        timers.cancel(invite.expiry);
    }

    int newInviteId() {
        int id = nextInviteId++;
        if (nextInviteId <= 0) {
            nextInviteId = 1;
        }
        return id;
    }

    /** Cluster mode: an invitation from a user on another node, pushed here with an id of ours. */
    void inviteFromElsewhere(Account from, Account to, long sessionId, String origin, int originId, byte[] body) {
        int id = newInviteId();
        Invite[] self = new Invite[1];
        Invite invite = new Invite(id, from, to, sessionId, now -> expire(self[0]));
        self[0] = invite;
        invite.originNode = origin;
        invite.originId = originId;
        invites.put(id, invite);
        Invites.add(invite);
        timers.schedule(invite.expiry, timers.nanoTime() + config.inviteTimeoutNanos);
        BodyWriter w = replies.begin(to.session.link);
        PeerIntroduction.writeRelabelled(w, id, body);
        replies.push(to.session.link, RegistryOpcodes.PEER_INVITE);
    }

    /** The answer to an invitation from another node: checked here, told there, relayed here. */
    private void fromElsewhereAnswered(Session s, int correlation, PeerAnswer m, Invite invite) {
        boolean accepted = m.accepted() && Presence.mayMeet(invite.from, s.account);
        if (m.accepted() && !accepted) {
            replies.error(s, correlation, RegistryErrors.NO_SUCH_INVITE, "no such session request (it may have expired)");
            remote.refuse(invite.originNode, invite.originId, "went offline");
            return;
        }
        // Both sides are granted this node's relay (7.13): the answerer's session is here.
        RelayPair relay = accepted && remote.relayAddress() != null
                ? relays.allocateForRemote(invite.from, invite.fromSessionId, s, m.sessionId()) : null;
        BodyWriter w = replies.begin(s.link);
        writeGrant(w, relay == null ? null : relay.answererSide);
        replies.respond(s.link, MessageClass.COMMAND, RegistryOpcodes.PEER_ANSWER, correlation);
        remote.answered(invite, s, accepted, m.sessionId(), m.key(), m.pathFlags(), m.candidates(),
                relay == null ? null : relay.requesterSide);
    }

    private void declined(Invite invite, String why) {
        if (invite.originNode != null) {
            remote.refuse(invite.originNode, invite.originId, why);
            return;
        }
        Session requester = invite.from.session;
        if (requester == null) {
            return;
        }
        BodyWriter w = replies.begin(requester.link);
        PeerDeclined.write(w, invite.id, invite.to.name, why);
        replies.push(requester.link, RegistryOpcodes.PEER_DECLINED);
    }

    private void expire(Invite invite) {
        if (invites.remove(invite.id) != null) {
            Invites.remove(invite);
            declined(invite, "no answer");
        }
    }

    /** Drops every invitation {@code a} sent or received: O(invitations of {@code a}). */
    void dropInvitesOf(Account a) {
        Invites mine = a.invites;
        if (mine == null || mine.sent.isEmpty() && mine.received.isEmpty()) {
            return;
        }
        List<Invite> gone = new ArrayList<>(mine.sent.size() + mine.received.size());
        gone.addAll(mine.sent);
        gone.addAll(mine.received);
        for (Invite i : gone) {
            forget(i);
            if (i.to == a) {
                declined(i, "went offline");
            }
        }
    }

    /** Invitations pending in the whole registry; for tests. */
    int pending() {
        return invites.size();
    }
}
