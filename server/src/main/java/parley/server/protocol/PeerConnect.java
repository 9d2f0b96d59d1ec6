package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

import java.util.List;

/**
 * PEER_CONNECT request: whom to introduce to, the requester's session id and its ephemeral
 * X25519 public key, then its {@link PathFlags} and its local {@link CandidateList} (7.8). The
 * reply is {@link InviteId}.
 */
public record PeerConnect(String name, long sessionId, byte[] key, int pathFlags, List<Candidate> candidates) {
    /** No flags and no candidates: what a peer that offers no direct path detail sends. */
    public PeerConnect(String name, long sessionId, byte[] key) {
        this(name, sessionId, key, 0, List.of());
    }

    public static PeerConnect decode(BodyReader r) {
        String name = r.string(Limits.MAX_NAME_BYTES);
        long sessionId = r.i64();
        byte[] key = new byte[Limits.KEY_BYTES];
        r.fixed(key);
        int flags = PathFlags.read(r);
        List<Candidate> candidates = CandidateList.read(r);
        r.end();
        return new PeerConnect(name, sessionId, key, flags, candidates);
    }

    public void encode(BodyWriter w) {
        w.string(name).i64(sessionId).fixed(key).u8(pathFlags);
        CandidateList.write(w, candidates);
    }
}
