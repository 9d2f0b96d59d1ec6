package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

import java.util.List;

/**
 * PEER_ANSWER request: the invitation id, the answer (1 accepts; any other value declines), the
 * answerer's session id and ephemeral X25519 public key, then its {@link PathFlags} and local
 * {@link CandidateList} (7.8; present on a decline too, where they may be empty). The reply is
 * {@link PeerAnswerReply}.
 */
public record PeerAnswer(int inviteId, int answer, long sessionId, byte[] key, int pathFlags, List<Candidate> candidates) {
    public static final int ACCEPT = 1;
    public static final int DECLINE = 0;

    /** No flags and no candidates. */
    public PeerAnswer(int inviteId, int answer, long sessionId, byte[] key) {
        this(inviteId, answer, sessionId, key, 0, List.of());
    }

    public boolean accepted() {
        return answer == ACCEPT;
    }

    public static PeerAnswer decode(BodyReader r) {
        int id = r.i32();
        int answer = r.u8();
        long sessionId = r.i64();
        byte[] key = new byte[Limits.KEY_BYTES];
        r.fixed(key);
        int flags = PathFlags.read(r);
        List<Candidate> candidates = CandidateList.read(r);
        r.end();
        return new PeerAnswer(id, answer, sessionId, key, flags, candidates);
    }

    public void encode(BodyWriter w) {
        w.i32(inviteId).u8(answer).i64(sessionId).fixed(key).u8(pathFlags);
        CandidateList.write(w, candidates);
    }
}
