package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

/**
 * MAIL_FETCH request: {@code i64} after sequence (0 = from the start; negative is
 * MALFORMED_BODY), {@code u16} max entries (1 to {@link Limits#MAX_MAIL_FETCH_ENTRIES}; else
 * MALFORMED_BODY). The answer is a {@link MailPage}.
 */
public record MailFetch(long afterSequence, int maxEntries) {
    public static MailFetch decode(BodyReader r) {
        long after = r.i64();
        int max = r.u16();
        r.end();
        if (after < 0) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "after sequence " + after + " is negative");
        }
        if (max < 1 || max > Limits.MAX_MAIL_FETCH_ENTRIES) {
            throw new WireException(ErrorCode.MALFORMED_BODY,
                    "max entries " + max + " is outside 1.." + Limits.MAX_MAIL_FETCH_ENTRIES);
        }
        return new MailFetch(after, max);
    }

    public void encode(BodyWriter w) {
        w.i64(afterSequence).u16(maxEntries);
    }
}
