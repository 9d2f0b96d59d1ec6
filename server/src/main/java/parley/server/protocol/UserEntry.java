package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/**
 * One user as a viewer may see them: name, presence ({@link PresenceState}) and last seen (Unix
 * ms, 0 when hidden). An entry of WHO, SEARCH and CONTACTS replies, and the whole PRESENCE push.
 * The registry writes it with {@link #write}, which allocates nothing.
 */
public record UserEntry(String name, int presence, long lastSeenMillis) {
    /** Bytes of an entry with an empty name: the least a listed entry can take. */
    static final int MIN_BYTES = 2 + 1 + 8;

    /** The PRESENCE push body. */
    public static UserEntry decode(BodyReader r) {
        UserEntry e = read(r);
        r.end();
        return e;
    }

    static UserEntry read(BodyReader r) {
        return new UserEntry(r.string(Limits.MAX_NAME_BYTES), r.u8(), r.i64());
    }

    public void encode(BodyWriter w) {
        write(w, name, presence, lastSeenMillis);
    }

    public static void write(BodyWriter w, CharSequence name, int presence, long lastSeenMillis) {
        w.string(name).u8(presence).i64(lastSeenMillis);
    }
}
