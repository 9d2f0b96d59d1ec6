package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

import java.util.ArrayList;
import java.util.List;

/**
 * WHO and SEARCH replies: a u16 count, then that many {@link UserEntry}. The registry writes the
 * count with {@link #writeCount} and each entry with {@link UserEntry#write}, allocating nothing.
 */
public record UserList(List<UserEntry> users) {
    public static UserList decode(BodyReader r) {
        List<UserEntry> users = readEntries(r);
        r.end();
        return new UserList(users);
    }

    static List<UserEntry> readEntries(BodyReader r) {
        int n = count(r, UserEntry.MIN_BYTES);
        List<UserEntry> users = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            users.add(UserEntry.read(r));
        }
        return users;
    }

    /** A u16 count, checked against the bytes left before anything is sized from it. */
    static int count(BodyReader r, int minBytesEach) {
        int n = r.u16();
        if ((long) n * minBytesEach > r.remaining()) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "a list of " + n + " entries cannot fit the body");
        }
        return n;
    }

    public void encode(BodyWriter w) {
        writeCount(w, users.size());
        for (UserEntry u : users) {
            u.encode(w);
        }
    }

    public static void writeCount(BodyWriter w, int count) {
        w.u16(count);
    }
}
