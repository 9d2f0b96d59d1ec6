package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/**
 * PEER_ANSWER request: the invitation id, the answer (1 accepts; any other value declines), and
 * the answerer's session id and ephemeral X25519 public key.
 */
public record PeerAnswer(int inviteId, int answer, long sessionId, byte[] key) {
    public static final int ACCEPT = 1;
    public static final int DECLINE = 0;

    public boolean accepted() {
        return answer == ACCEPT;
    }

    public static PeerAnswer decode(BodyReader r) {
        int id = r.i32();
        int answer = r.u8();
        long sessionId = r.i64();
        byte[] key = new byte[Limits.KEY_BYTES];
        r.fixed(key);
        r.end();
        return new PeerAnswer(id, answer, sessionId, key);
    }

    public void encode(BodyWriter w) {
        w.i32(inviteId).u8(answer).i64(sessionId).fixed(key);
    }
}
