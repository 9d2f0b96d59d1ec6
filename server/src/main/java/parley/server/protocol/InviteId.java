package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/** PEER_CONNECT reply: the id of the invitation the registry sent (i32). */
public record InviteId(int id) {
    public static InviteId decode(BodyReader r) {
        int id = r.i32();
        r.end();
        return new InviteId(id);
    }

    public void encode(BodyWriter w) {
        w.i32(id);
    }
}
