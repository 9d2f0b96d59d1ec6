package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

import java.nio.ByteBuffer;

/**
 * UDP_PROBE (peer to registry over UDP): the 16-byte session token from LOGIN_FINISH. The static
 * accessors are the flyweight the probe port uses: they read the fields in place, allocating nothing.
 */
public record UdpProbe(long tokenHi, long tokenLo) {
    public static final int BODY_BYTES = Limits.TOKEN_BYTES;

    public static UdpProbe decode(BodyReader r) {
        UdpProbe m = new UdpProbe(r.i64(), r.i64());
        r.end();
        return m;
    }

    public void encode(BodyWriter w) {
        write(w, tokenHi, tokenLo);
    }

    /** Flyweight form: the peer sends a probe per heartbeat without allocating. */
    public static void write(BodyWriter w, long tokenHi, long tokenLo) {
        w.i64(tokenHi).i64(tokenLo);
    }

    /** The token's high half in a body starting at {@code body}; UDP_PROBE and PROBE_CONFIRM alike. */
    public static long tokenHi(ByteBuffer b, int body) {
        return b.getLong(body);
    }

    public static long tokenLo(ByteBuffer b, int body) {
        return b.getLong(body + Long.BYTES);
    }
}
