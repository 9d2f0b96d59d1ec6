package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

import java.util.List;

/**
 * The peer-introduction layout, the one place it is written down in code: the PEER_INVITE push
 * (to the invited user, about the requester) and the PEER_READY push (to the requester, about
 * the user who accepted). Invitation id, the other user's name, their session id and ephemeral
 * X25519 public key, their {@link Endpoints}, their {@link PathFlags} and their candidates as the
 * registry filtered them ({@link CandidateList}); PEER_READY then carries the requester's
 * {@link RelayGrant} (null on an invite, and when there is no relay). Last of all (section 7.9)
 * comes the other user's optional identity bundle.
 */
public record PeerIntroduction(int inviteId, String name, long sessionId, byte[] key, Endpoints endpoints,
                               int pathFlags, List<Candidate> candidates, RelayGrant relay,
                               IdentityBundle identity) {
    /** No flags, no candidates, no relay, no identity. */
    public PeerIntroduction(int inviteId, String name, long sessionId, byte[] key, Endpoints endpoints) {
        this(inviteId, name, sessionId, key, endpoints, 0, List.of(), null, null);
    }

    /** No identity bundle. */
    public PeerIntroduction(int inviteId, String name, long sessionId, byte[] key, Endpoints endpoints,
                            int pathFlags, List<Candidate> candidates, RelayGrant relay) {
        this(inviteId, name, sessionId, key, endpoints, pathFlags, candidates, relay, null);
    }

    /** PEER_INVITE: no relay grant on the wire (the answerer's comes in the PEER_ANSWER response). */
    public static PeerIntroduction decodeInvite(BodyReader r) {
        return decode(r, false);
    }

    /** PEER_READY: the requester's relay grant before the identity tail. */
    public static PeerIntroduction decodeReady(BodyReader r) {
        return decode(r, true);
    }

    private static PeerIntroduction decode(BodyReader r, boolean ready) {
        int id = r.i32();
        String name = r.string(Limits.MAX_NAME_BYTES);
        long sessionId = r.i64();
        byte[] key = new byte[Limits.KEY_BYTES];
        r.fixed(key);
        Endpoints e = Endpoints.read(r);
        int flags = PathFlags.read(r);
        List<Candidate> candidates = CandidateList.read(r);
        RelayGrant relay = ready ? RelayGrant.read(r) : null;
        IdentityBundle identity = readIdentityTail(r);
        r.end();
        return new PeerIntroduction(id, name, sessionId, key, e, flags, candidates, relay, identity);
    }

    public void encodeInvite(BodyWriter w) {
        writeHead(w, inviteId, name, sessionId, key);
        endpoints.encode(w);
        writePath(w, pathFlags, candidates);
        writeIdentityTail(w, identity);
    }

    public void encodeReady(BodyWriter w) {
        writeHead(w, inviteId, name, sessionId, key);
        endpoints.encode(w);
        writePath(w, pathFlags, candidates);
        RelayGrant.write(w, relay);
        writeIdentityTail(w, identity);
    }

    /**
     * The identity part (section 7.9): the last field of PEER_INVITE and PEER_READY, after every
     * other field (issue 12's path fields and relay grant included), so it is read and written in
     * one place.
     */
    public static IdentityBundle readIdentityTail(BodyReader r) {
        return IdentityBundle.readOptionalOrEnd(r);
    }

    /** Writes the identity tail from the stored bundle bytes (null: none). */
    public static void writeIdentityTail(BodyWriter w, byte[] bundle) {
        IdentityBundle.writeOptional(w, bundle);
    }

    /** Writes the identity tail of a decoded bundle (null: none). */
    public static void writeIdentityTail(BodyWriter w, IdentityBundle bundle) {
        IdentityBundle.writeOptional(w, bundle);
    }

    /** Flyweight form: the fields before the endpoints, which follow with {@link Endpoints#write}. */
    /**
     * Cluster mode (7.13): a PEER_INVITE or PEER_READY body built on another node, written as it
     * came but for its leading invitation id, which becomes {@code inviteId} (the id this node gave it).
     */
    public static void writeRelabelled(BodyWriter w, int inviteId, byte[] body) {
        w.i32(inviteId).fixed(body, Integer.BYTES, body.length - Integer.BYTES);
    }

    public static void writeHead(BodyWriter w, int inviteId, CharSequence name, long sessionId, byte[] key) {
        w.i32(inviteId).string(name).i64(sessionId).fixed(key);
    }

    /** Flyweight form: the path flags and candidate list that follow the endpoints. */
    public static void writePath(BodyWriter w, int pathFlags, List<Candidate> candidates) {
        w.u8(pathFlags);
        CandidateList.write(w, candidates);
    }
}
