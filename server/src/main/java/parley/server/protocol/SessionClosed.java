package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/** SESSION_CLOSED push: why the session ends (a u16 error code) and a reason for people. */
public record SessionClosed(int code, String reason) {
    public static SessionClosed decode(BodyReader r) {
        SessionClosed m = new SessionClosed(r.u16(), r.string(Limits.MAX_REASON_BYTES));
        r.end();
        return m;
    }

    public void encode(BodyWriter w) {
        write(w, code, reason);
    }

    public static void write(BodyWriter w, int code, CharSequence reason) {
        w.u16(code).string(reason);
    }
}
