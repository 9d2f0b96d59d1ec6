package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

import java.util.ArrayList;
import java.util.List;

/**
 * MAIL_FETCH response: {@code u8} more (1 if entries remain after this page, else 0), {@code u16}
 * count, count {@link MailEntry}s in increasing sequence. The count is checked against the bytes
 * left (at least {@link MailEntry#MIN_BYTES} each) before the list is sized.
 */
public record MailPage(boolean more, List<MailEntry> entries) {
    /** The page's head: more flag and count. */
    public static final int HEAD_BYTES = 1 + 2;

    public static MailPage decode(BodyReader r) {
        int more = r.u8();
        if (more > 1) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "more flag " + more + " is not 0 or 1");
        }
        int n = UserList.count(r, MailEntry.MIN_BYTES);
        List<MailEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(MailEntry.read(r));
        }
        r.end();
        return new MailPage(more == 1, entries);
    }

    /** The sequence of the last entry, or {@code after} for an empty page: where the next fetch starts. */
    public long lastSequence(long after) {
        return entries.isEmpty() ? after : entries.get(entries.size() - 1).sequence();
    }

    public void encode(BodyWriter w) {
        writeHead(w, more, entries.size());
        for (MailEntry e : entries) {
            e.encode(w);
        }
    }

    public static void writeHead(BodyWriter w, boolean more, int count) {
        w.u8(more ? 1 : 0).u16(count);
    }
}
