package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/**
 * HEARTBEAT, the request every session repeats all day: a u8 presence state, answered with the
 * session timeout in milliseconds (i32). Flyweight only: both directions are one primitive, so
 * nothing is allocated to read or write them.
 */
public final class Heartbeat {
    private Heartbeat() {
    }

    /** The requested presence state; the registry checks it is ONLINE or AWAY. */
    public static int decodeRequest(BodyReader r) {
        int state = r.u8();
        r.end();
        return state;
    }

    public static void encodeRequest(BodyWriter w, int state) {
        w.u8(state);
    }

    public static int decodeReply(BodyReader r) {
        int timeoutMillis = r.i32();
        r.end();
        return timeoutMillis;
    }

    public static void encodeReply(BodyWriter w, int timeoutMillis) {
        w.i32(timeoutMillis);
    }
}
