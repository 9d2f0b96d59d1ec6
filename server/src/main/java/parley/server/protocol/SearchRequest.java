package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/**
 * SEARCH request: a name prefix. {@link #decodeInto} is the flyweight the registry uses, reading
 * the prefix into a reused builder so that a search allocates nothing.
 */
public record SearchRequest(String prefix) {
    public static SearchRequest decode(BodyReader r) {
        String prefix = r.string(Limits.MAX_NAME_BYTES);
        r.end();
        return new SearchRequest(prefix);
    }

    public static StringBuilder decodeInto(BodyReader r, StringBuilder into) {
        r.string(Limits.MAX_NAME_BYTES, into);
        r.end();
        return into;
    }

    public void encode(BodyWriter w) {
        w.string(prefix);
    }
}
