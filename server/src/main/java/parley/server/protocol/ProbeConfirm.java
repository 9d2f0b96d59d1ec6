package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

import java.nio.ByteBuffer;

/**
 * PROBE_CONFIRM (peer to registry over UDP): the session token, then the challenge the registry
 * sent to this address. Flyweight accessors read the challenge in place.
 */
public record ProbeConfirm(long tokenHi, long tokenLo, long challengeHi, long challengeLo) {
    public static final int BODY_BYTES = Limits.TOKEN_BYTES + Limits.CHALLENGE_BYTES;
    private static final int CHALLENGE_OFFSET = Limits.TOKEN_BYTES;

    public static ProbeConfirm decode(BodyReader r) {
        ProbeConfirm m = new ProbeConfirm(r.i64(), r.i64(), r.i64(), r.i64());
        r.end();
        return m;
    }

    public void encode(BodyWriter w) {
        write(w, tokenHi, tokenLo, challengeHi, challengeLo);
    }

    /** Flyweight form, for the peer's answer to each PROBE_CHALLENGE. */
    public static void write(BodyWriter w, long tokenHi, long tokenLo, long challengeHi, long challengeLo) {
        w.i64(tokenHi).i64(tokenLo).i64(challengeHi).i64(challengeLo);
    }

    public static long challengeHi(ByteBuffer b, int body) {
        return b.getLong(body + CHALLENGE_OFFSET);
    }

    public static long challengeLo(ByteBuffer b, int body) {
        return b.getLong(body + CHALLENGE_OFFSET + Long.BYTES);
    }
}
