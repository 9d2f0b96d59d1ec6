package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

/**
 * One entry of a {@link MailPage}: {@code i64} sequence (per recipient, increasing), {@code u8}
 * kind, {@code i64} deposited at (ms). A {@link #SEALED} entry goes on with {@code u32} n and n
 * blob bytes; an {@link #EXPIRED} entry, a notice to the <em>sender</em> that its deposit expired
 * unread, with the {@code user} it was for and the {@code i64} message id. For SEALED entries
 * {@code recipient} is null and {@code messageId} 0; for EXPIRED entries {@code blob} is null.
 */
public record MailEntry(long sequence, int kind, long depositedAtMillis, byte[] blob, String recipient, long messageId) {
    public static final int SEALED = 1;
    public static final int EXPIRED = 2;
    /** The fixed head of every entry: sequence, kind, deposited at. */
    public static final int HEAD_BYTES = 8 + 1 + 8;
    /** The smallest entry: a SEALED one with a one-byte blob. */
    public static final int MIN_BYTES = HEAD_BYTES + 4 + 1;

    public static MailEntry sealed(long sequence, long depositedAtMillis, byte[] blob) {
        return new MailEntry(sequence, SEALED, depositedAtMillis, blob, null, 0);
    }

    public static MailEntry expired(long sequence, long depositedAtMillis, String recipient, long messageId) {
        return new MailEntry(sequence, EXPIRED, depositedAtMillis, null, recipient, messageId);
    }

    /** Bytes this entry takes on the wire (names are ASCII: usernames are). */
    public static int sealedBytes(int blobLength) {
        return HEAD_BYTES + 4 + blobLength;
    }

    public static int expiredBytes(int recipientLength) {
        return HEAD_BYTES + 2 + recipientLength + 8;
    }

    static MailEntry read(BodyReader r) {
        long sequence = r.i64();
        int kind = r.u8();
        long at = r.i64();
        switch (kind) {
            case SEALED:
                return sealed(sequence, at, MailDeposit.readBlob(r));
            case EXPIRED:
                return expired(sequence, at, r.string(Limits.MAX_NAME_BYTES), r.i64());
            default:
                throw new WireException(ErrorCode.MALFORMED_BODY, "unknown mail entry kind " + kind);
        }
    }

    public void encode(BodyWriter w) {
        if (kind == SEALED) {
            writeSealed(w, sequence, depositedAtMillis, blob, 0, blob.length);
        } else {
            writeExpired(w, sequence, depositedAtMillis, recipient, messageId);
        }
    }

    public static void writeSealed(BodyWriter w, long sequence, long depositedAtMillis, byte[] blob, int off, int len) {
        w.i64(sequence).u8(SEALED).i64(depositedAtMillis);
        MailDeposit.writeBlob(w, blob, off, len);
    }

    public static void writeExpired(BodyWriter w, long sequence, long depositedAtMillis, CharSequence recipient, long messageId) {
        w.i64(sequence).u8(EXPIRED).i64(depositedAtMillis).string(recipient).i64(messageId);
    }
}
