package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * CONTACTS reply: the contacts as {@link UserEntry} (u16 count first), then three name lists
 * (u16 count, names): pending incoming requests, pending outgoing requests, blocked users. The
 * registry writes it piecewise with {@link UserList#writeCount}, {@link UserEntry#write} and
 * {@link #writeNameCount}/{@link NameBody#write}.
 */
public record ContactsReply(List<UserEntry> contacts, List<String> incoming, List<String> outgoing, List<String> blocked) {
    private static final int MIN_NAME_BYTES = 2;

    public static ContactsReply decode(BodyReader r) {
        ContactsReply m = new ContactsReply(UserList.readEntries(r), names(r), names(r), names(r));
        r.end();
        return m;
    }

    private static List<String> names(BodyReader r) {
        int n = UserList.count(r, MIN_NAME_BYTES);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(r.string(Limits.MAX_NAME_BYTES));
        }
        return out;
    }

    public void encode(BodyWriter w) {
        new UserList(contacts).encode(w);
        writeNames(w, incoming);
        writeNames(w, outgoing);
        writeNames(w, blocked);
    }

    private static void writeNames(BodyWriter w, List<String> names) {
        writeNameCount(w, names.size());
        for (String n : names) {
            NameBody.write(w, n);
        }
    }

    public static void writeNameCount(BodyWriter w, int count) {
        w.u16(count);
    }
}
