package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/** PEER_DECLINED push: the invitation id, the invited user's name and why (declined, no answer, went offline). */
public record PeerDeclined(int inviteId, String name, String reason) {
    public static PeerDeclined decode(BodyReader r) {
        PeerDeclined m = new PeerDeclined(r.i32(), r.string(Limits.MAX_NAME_BYTES), r.string(Limits.MAX_REASON_BYTES));
        r.end();
        return m;
    }

    public void encode(BodyWriter w) {
        write(w, inviteId, name, reason);
    }

    public static void write(BodyWriter w, int inviteId, CharSequence name, CharSequence reason) {
        w.i32(inviteId).string(name).string(reason);
    }
}
