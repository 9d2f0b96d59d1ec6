package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/**
 * MAIL_WAITING push: {@code u32} count of entries waiting in the receiver's mailbox, sent to an
 * online recipient after a deposit for it commits. A hint to fetch, nothing more: the count may
 * be stale by the time the fetch arrives.
 */
public record MailWaiting(long count) {
    public static MailWaiting decode(BodyReader r) {
        long count = r.u32();
        r.end();
        return new MailWaiting(count);
    }

    public void encode(BodyWriter w) {
        write(w, count);
    }

    public static void write(BodyWriter w, long count) {
        w.i32((int) count);
    }
}
