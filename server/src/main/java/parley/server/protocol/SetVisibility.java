package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/** SET_VISIBILITY request: one u8 visibility code (0 everyone, 1 contacts, 2 nobody); checked by the registry. */
public record SetVisibility(int code) {
    public static SetVisibility decode(BodyReader r) {
        int code = r.u8();
        r.end();
        return new SetVisibility(code);
    }

    public void encode(BodyWriter w) {
        w.u8(code);
    }
}
