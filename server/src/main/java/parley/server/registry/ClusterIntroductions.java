package parley.server.registry;

import parley.core.loop.Timer;
import parley.core.wire.BodyWriter;
import parley.core.wire.MessageClass;
import parley.server.protocol.InviteId;
import parley.server.protocol.PeerConnect;
import parley.server.protocol.PeerDeclined;
import parley.server.protocol.PeerIntroduction;
import parley.server.protocol.RegistryOpcodes;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Introductions between users on different cluster nodes (PROTOCOL.md 7.5 and 7.13). Each node
 * builds what discloses its own user, from its own session (endpoints, candidates, identity):
 * the requester's node the PEER_INVITE body (INV), the target's node the PEER_READY body (RDY)
 * or the refusal (DEC). The target's node holds the invitation as a local {@link Invite} and
 * checks {@link Presence#mayMeet} again when it arrives and when it is answered, as on one
 * node. Across nodes the relay is the answerer's node's: it allocates the pair at the answer and
 * the requester's grant names its relay address ({@link #relayAt}). Loop thread only.
 */
final class ClusterIntroductions {
    /** An invitation sent from here to a user on another node, waiting for RDY or DEC. */
    private static final class Outgoing {
        final Account from;
        final String toName;
        Timer expiry;

        Outgoing(Account from, String toName) {
            this.from = from;
            this.toName = toName;
        }
    }

    private final Introductions introductions;
    private final Cluster cluster;
    private final Replies replies;
    private final Timers timers;
    private final RegistryConfig config;
    private final Map<Integer, Outgoing> outgoing = new HashMap<>();
    private final ByteBuffer scratch;
    private final BodyWriter writer = new BodyWriter();
    /** Where users on other nodes reach this node's relay; null: no relay across nodes (see {@link #relayAt}). */
    private java.net.InetSocketAddress relayAddress;

    ClusterIntroductions(Introductions introductions, Cluster cluster, Replies replies, Timers timers, RegistryConfig config) {
        this.introductions = introductions;
        this.cluster = cluster;
        this.replies = replies;
        this.timers = timers;
        this.config = config;
        this.scratch = ByteBuffer.allocate(config.maxFrameLength);
    }

    /**
     * Once the UDP port is bound: the relay address this node grants to requesters on other nodes
     * ({@code --relay-address}, else the bound address if it is one unicast address). Null (a
     * wildcard bind without the flag, or the relay off): grants across nodes stay absent.
     */
    void relayAt(java.net.InetSocketAddress bound) {
        java.net.InetSocketAddress a = config.relayAddress != null ? config.relayAddress : bound;
        boolean usable = config.relayEnabled && a != null && !a.isUnresolved() && a.getPort() != 0
                && parley.server.protocol.IpLiteral.unicast(a.getAddress().getHostAddress()) != null;
        this.relayAddress = usable ? a : null;
    }

    java.net.InetSocketAddress relayAddress() {
        return relayAddress;
    }

    /** A body built with {@code write}, as Base64 for the bus. */
    private String encode(java.util.function.Consumer<BodyWriter> write) {
        scratch.clear();
        writer.wrap(scratch, 0);
        write.accept(writer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(scratch.array(), writer.length()));
    }

    /** PEER_CONNECT from {@code s} to {@code t}, online on another node: checked as on one node already. */
    void connect(Session s, int correlation, PeerConnect m, Account t) {
        Account me = s.account;
        int id = introductions.newInviteId();
        String body = encode(w -> {
            PeerIntroduction.writeHead(w, id, me.name, m.sessionId(), m.key());
            Disclosure.writeIntroduction(w, s, m.pathFlags(), m.candidates());
            PeerIntroduction.writeIdentityTail(w, me.identity);
        });
        Outgoing o = new Outgoing(me, t.name);
        o.expiry = new Timer(now -> {
            if (outgoing.remove(id) != null) {
                declined(o, id, "no answer");
            }
        });
        outgoing.put(id, o);
        // The target's node expires it after the invite timeout; a lease more covers a lost DEC.
        timers.schedule(o.expiry, timers.nanoTime() + config.inviteTimeoutNanos + config.clusterLeaseNanos);
        cluster.send(t.remoteNode, "INV " + cluster.self() + " " + id + " " + me.key + " " + t.key + " " + m.sessionId() + " " + body);
        BodyWriter w = replies.begin(s.link);
        new InviteId(id).encode(w);
        replies.respond(s.link, MessageClass.COMMAND, RegistryOpcodes.PEER_CONNECT, correlation);
    }

    /** INV: a user on {@code origin} invites {@code to}, who should be here. */
    void invited(String origin, int originId, Account from, Account to, long sessionId, byte[] body) {
        if (to.session == null || !Presence.mayMeet(from, to)) {
            refuse(origin, originId, "went offline");
            return;
        }
        introductions.inviteFromElsewhere(from, to, sessionId, origin, originId, body);
    }

    /** The answer to an invitation that came from another node: RDY with our user's side, or DEC. */
    void answered(Invite invite, Session s, boolean accepted, long sessionId, byte[] key, int pathFlags,
                  java.util.List<parley.server.protocol.Candidate> candidates, RelaySide requesterSide) {
        if (!accepted) {
            refuse(invite.originNode, invite.originId, "declined");
            return;
        }
        String body = encode(w -> {
            PeerIntroduction.writeHead(w, invite.originId, s.account.name, sessionId, key);
            Disclosure.writeIntroduction(w, s, pathFlags, candidates);
            if (requesterSide == null) {
                parley.server.protocol.RelayGrant.write(w, null);
            } else {
                parley.server.protocol.RelayGrant.write(w, requesterSide.tokenHi, requesterSide.tokenLo,
                        relayAddress.getAddress().getHostAddress(), relayAddress.getPort());
            }
            PeerIntroduction.writeIdentityTail(w, s.account.identity);
        });
        cluster.send(invite.originNode, "RDY " + cluster.self() + " " + invite.originId + " " + body);
    }

    void refuse(String origin, int originId, String why) {
        cluster.send(origin, "DEC " + cluster.self() + " " + originId + " " + why.replace(' ', '_'));
    }

    /** RDY: our user's invitation was accepted on the other node; the body is PEER_READY as is. */
    void ready(int id, byte[] body) {
        Outgoing o = outgoing.remove(id);
        if (o == null) {
            return;
        }
        timers.cancel(o.expiry);
        Session requester = o.from.session;
        if (requester != null) {
            BodyWriter w = replies.begin(requester.link);
            PeerIntroduction.writeRelabelled(w, id, body); // the id is already ours
            replies.push(requester.link, RegistryOpcodes.PEER_READY);
        }
    }

    /** DEC: declined, expired, or the pair may no longer meet (all read alike). */
    void refused(int id, String why) {
        Outgoing o = outgoing.remove(id);
        if (o != null) {
            timers.cancel(o.expiry);
            declined(o, id, why.replace('_', ' '));
        }
    }

    private void declined(Outgoing o, int id, String why) {
        Session requester = o.from.session;
        if (requester == null) {
            return;
        }
        BodyWriter w = replies.begin(requester.link);
        PeerDeclined.write(w, id, o.toName, why);
        replies.push(requester.link, RegistryOpcodes.PEER_DECLINED);
    }
}
