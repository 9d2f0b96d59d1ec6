package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/** CONTACT_EVENT push: the other user's name and what they did (u8 kind below). */
public record ContactEventPush(String name, int kind) {
    public static final int REQUESTED = 1;
    public static final int ACCEPTED = 2;
    public static final int DECLINED = 3;
    public static final int REMOVED = 4;

    public static ContactEventPush decode(BodyReader r) {
        ContactEventPush m = new ContactEventPush(r.string(Limits.MAX_NAME_BYTES), r.u8());
        r.end();
        return m;
    }

    public void encode(BodyWriter w) {
        write(w, name, kind);
    }

    public static void write(BodyWriter w, CharSequence name, int kind) {
        w.string(name).u8(kind);
    }

    public static String kindName(int kind) {
        switch (kind) {
            case REQUESTED: return "requested";
            case ACCEPTED: return "accepted";
            case DECLINED: return "declined";
            case REMOVED: return "removed";
            default: return "unknown";
        }
    }
}
