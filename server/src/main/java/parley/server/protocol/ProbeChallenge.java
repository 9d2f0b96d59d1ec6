package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

import java.nio.ByteBuffer;

/** PROBE_CHALLENGE (registry to peer over UDP): 16 random bytes, as two i64, to echo in PROBE_CONFIRM. */
public record ProbeChallenge(long hi, long lo) {
    public static ProbeChallenge decode(BodyReader r) {
        ProbeChallenge m = new ProbeChallenge(r.i64(), r.i64());
        r.end();
        return m;
    }

    public void encode(BodyWriter w) {
        write(w, hi, lo);
    }

    /** Flyweight reads of a challenge body starting at {@code body}, for the peer's UDP path. */
    public static long hi(ByteBuffer b, int body) {
        return b.getLong(body);
    }

    public static long lo(ByteBuffer b, int body) {
        return b.getLong(body + Long.BYTES);
    }

    public static void write(BodyWriter w, long hi, long lo) {
        w.i64(hi).i64(lo);
    }
}
