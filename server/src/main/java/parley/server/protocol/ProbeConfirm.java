package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.Header;

import java.nio.ByteBuffer;

/**
 * PROBE_CONFIRM (peer to registry over UDP): the probe id and the next counter, as in
 * {@link UdpProbe}, the challenge the registry sent to this address, and the {@link ProbeMac} over
 * the header and all three. Flyweight accessors read the challenge in place.
 */
public record ProbeConfirm(long probeId, long counter, long challengeHi, long challengeLo, long macHi, long macLo) {
    private static final int CHALLENGE_OFFSET = Limits.PROBE_ID_BYTES + Limits.COUNTER_BYTES;
    public static final int MAC_OFFSET = CHALLENGE_OFFSET + Limits.CHALLENGE_BYTES;
    public static final int BODY_BYTES = MAC_OFFSET + ProbeMac.MAC_BYTES;
    /** The MAC's place counted from the first header byte. */
    public static final int MAC_AT = Header.LENGTH + MAC_OFFSET;

    public static ProbeConfirm decode(BodyReader r) {
        ProbeConfirm m = new ProbeConfirm(r.i64(), r.i64(), r.i64(), r.i64(), r.i64(), r.i64());
        r.end();
        return m;
    }

    public void encode(BodyWriter w) {
        w.i64(probeId).i64(counter).i64(challengeHi).i64(challengeLo).i64(macHi).i64(macLo);
    }

    /** Flyweight form, for the peer's answer to each PROBE_CHALLENGE; the caller then seals the MAC at {@link #MAC_AT}. */
    public static void write(BodyWriter w, long probeId, long counter, long challengeHi, long challengeLo) {
        w.i64(probeId).i64(counter).i64(challengeHi).i64(challengeLo);
    }

    public static long challengeHi(ByteBuffer b, int body) {
        return b.getLong(body + CHALLENGE_OFFSET);
    }

    public static long challengeLo(ByteBuffer b, int body) {
        return b.getLong(body + CHALLENGE_OFFSET + Long.BYTES);
    }
}
