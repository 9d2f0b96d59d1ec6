package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/**
 * A body of one user name: the request of CONTACT_REQUEST, CONTACT_ACCEPT, CONTACT_DECLINE,
 * CONTACT_REMOVE, BLOCK, UNBLOCK and LOOKUP_ENDPOINT. {@link #decodeInto} is the flyweight form
 * the hot path (LOOKUP_ENDPOINT) uses: the name lands in a reused builder.
 */
public record NameBody(String name) {
    public static NameBody decode(BodyReader r) {
        String name = r.string(Limits.MAX_NAME_BYTES);
        r.end();
        return new NameBody(name);
    }

    /** Reads the name into {@code into} (cleared first) without allocating for ASCII names. */
    public static StringBuilder decodeInto(BodyReader r, StringBuilder into) {
        r.string(Limits.MAX_NAME_BYTES, into);
        r.end();
        return into;
    }

    public void encode(BodyWriter w) {
        write(w, name);
    }

    public static void write(BodyWriter w, CharSequence name) {
        w.string(name);
    }
}
