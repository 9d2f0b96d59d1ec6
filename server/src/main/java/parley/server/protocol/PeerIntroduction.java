package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/**
 * The peer-introduction layout, the one place it is written down in code: the PEER_INVITE push
 * (to the invited user, about the requester) and the PEER_READY push (to the requester, about
 * the user who accepted). Invitation id, the other user's name, their session id and ephemeral
 * X25519 public key, then their {@link Endpoints}, then (section 7.9) their optional identity bundle.
 */
public record PeerIntroduction(int inviteId, String name, long sessionId, byte[] key, Endpoints endpoints,
                               IdentityBundle identity) {
    public PeerIntroduction(int inviteId, String name, long sessionId, byte[] key, Endpoints endpoints) {
        this(inviteId, name, sessionId, key, endpoints, null);
    }

    public static PeerIntroduction decode(BodyReader r) {
        int id = r.i32();
        String name = r.string(Limits.MAX_NAME_BYTES);
        long sessionId = r.i64();
        byte[] key = new byte[Limits.KEY_BYTES];
        r.fixed(key);
        Endpoints e = Endpoints.read(r);
        IdentityBundle identity = readIdentityTail(r);
        r.end();
        return new PeerIntroduction(id, name, sessionId, key, e, identity);
    }

    public void encode(BodyWriter w) {
        writeHead(w, inviteId, name, sessionId, key);
        endpoints.encode(w);
        writeIdentityTail(w, identity);
    }

    /**
     * The identity part (section 7.9): the last field of PEER_INVITE and PEER_READY, after every
     * other field (issue 12's path fields included), so it is read and written in one place.
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
    public static void writeHead(BodyWriter w, int inviteId, CharSequence name, long sessionId, byte[] key) {
        w.i32(inviteId).string(name).i64(sessionId).fixed(key);
    }
}
