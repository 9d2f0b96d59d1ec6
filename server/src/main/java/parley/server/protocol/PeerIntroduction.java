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
 * {@link RelayGrant} (null on an invite, and when there is no relay).
 */
public record PeerIntroduction(int inviteId, String name, long sessionId, byte[] key, Endpoints endpoints,
                               int pathFlags, List<Candidate> candidates, RelayGrant relay) {
    /** No flags, no candidates, no relay. */
    public PeerIntroduction(int inviteId, String name, long sessionId, byte[] key, Endpoints endpoints) {
        this(inviteId, name, sessionId, key, endpoints, 0, List.of(), null);
    }

    /** PEER_INVITE: no relay grant on the wire (the answerer's comes in the PEER_ANSWER response). */
    public static PeerIntroduction decodeInvite(BodyReader r) {
        return decode(r, false);
    }

    /** PEER_READY: ends with the requester's relay grant. */
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
        r.end();
        return new PeerIntroduction(id, name, sessionId, key, e, flags, candidates, relay);
    }

    public void encodeInvite(BodyWriter w) {
        writeHead(w, inviteId, name, sessionId, key);
        endpoints.encode(w);
        writePath(w, pathFlags, candidates);
    }

    public void encodeReady(BodyWriter w) {
        encodeInvite(w);
        RelayGrant.write(w, relay);
    }

    /** Flyweight form: the fields before the endpoints, which follow with {@link Endpoints#write}. */
    public static void writeHead(BodyWriter w, int inviteId, CharSequence name, long sessionId, byte[] key) {
        w.i32(inviteId).string(name).i64(sessionId).fixed(key);
    }

    /** Flyweight form: the path flags and candidate list that follow the endpoints. */
    public static void writePath(BodyWriter w, int pathFlags, List<Candidate> candidates) {
        w.u8(pathFlags);
        CandidateList.write(w, candidates);
    }
}
