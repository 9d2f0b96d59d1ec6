package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/**
 * A body of one SCRAM message: the LOGIN_START request (client-first) and reply (server-first),
 * and the LOGIN_FINISH request (client-final). The LOGIN_FINISH reply is {@link LoginFinishReply}.
 */
public record ScramText(String text) {
    public static ScramText decode(BodyReader r) {
        String text = r.string(Limits.MAX_SCRAM_BYTES);
        r.end();
        return new ScramText(text);
    }

    public void encode(BodyWriter w) {
        w.string(text);
    }
}
