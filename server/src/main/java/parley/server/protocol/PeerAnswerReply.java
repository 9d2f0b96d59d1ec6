package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/**
 * PEER_ANSWER response (PROTOCOL.md 7.5, 7.8): the answerer's {@link RelayGrant}, null (written as
 * "absent") on a decline or when the registry relays nothing.
 */
public record PeerAnswerReply(RelayGrant relay) {
    public static PeerAnswerReply decode(BodyReader r) {
        PeerAnswerReply m = new PeerAnswerReply(RelayGrant.read(r));
        r.end();
        return m;
    }

    public void encode(BodyWriter w) {
        RelayGrant.write(w, relay);
    }
}
