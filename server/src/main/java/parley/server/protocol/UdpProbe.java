package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.Header;

import java.nio.ByteBuffer;

/**
 * UDP_PROBE (peer to registry over UDP): the probe id from LOGIN_FINISH, a counter that grows with
 * every probe and confirmation of the login, and the {@link ProbeMac} over the header and both. No
 * session secret travels: the probe key that makes the MAC never leaves the TLS connection, and the
 * counter makes a captured probe worthless. The static accessors are the flyweight the probe port
 * uses: they read the fields in place, allocating nothing. PROBE_CONFIRM starts with the same id and
 * counter, so {@link #probeId} and {@link #counter} read both.
 */
public record UdpProbe(long probeId, long counter, long macHi, long macLo) {
    private static final int COUNTER_OFFSET = Limits.PROBE_ID_BYTES;
    /** Where the MAC starts in the body; the MAC covers the header and everything before it. */
    public static final int MAC_OFFSET = COUNTER_OFFSET + Limits.COUNTER_BYTES;
    public static final int BODY_BYTES = MAC_OFFSET + ProbeMac.MAC_BYTES;
    /** The MAC's place counted from the first header byte. */
    public static final int MAC_AT = Header.LENGTH + MAC_OFFSET;

    public static UdpProbe decode(BodyReader r) {
        UdpProbe m = new UdpProbe(r.i64(), r.i64(), r.i64(), r.i64());
        r.end();
        return m;
    }

    public void encode(BodyWriter w) {
        w.i64(probeId).i64(counter).i64(macHi).i64(macLo);
    }

    /** Flyweight form: the id and counter; the caller then seals the MAC at {@link #MAC_AT}. */
    public static void write(BodyWriter w, long probeId, long counter) {
        w.i64(probeId).i64(counter);
    }

    /** The probe id in a body starting at {@code body}; UDP_PROBE and PROBE_CONFIRM alike. */
    public static long probeId(ByteBuffer b, int body) {
        return b.getLong(body);
    }

    /** The counter in a body starting at {@code body}; UDP_PROBE and PROBE_CONFIRM alike. */
    public static long counter(ByteBuffer b, int body) {
        return b.getLong(body + COUNTER_OFFSET);
    }
}
