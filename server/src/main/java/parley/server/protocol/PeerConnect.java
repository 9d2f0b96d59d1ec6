package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/**
 * PEER_CONNECT request: whom to introduce to, the requester's session id and its ephemeral
 * X25519 public key. The reply is {@link InviteId}.
 */
public record PeerConnect(String name, long sessionId, byte[] key) {
    public static PeerConnect decode(BodyReader r) {
        String name = r.string(Limits.MAX_NAME_BYTES);
        long sessionId = r.i64();
        byte[] key = new byte[Limits.KEY_BYTES];
        r.fixed(key);
        r.end();
        return new PeerConnect(name, sessionId, key);
    }

    public void encode(BodyWriter w) {
        w.string(name).i64(sessionId).fixed(key);
    }
}
