package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

/**
 * MAIL_DEPOSIT request (PROTOCOL.md 7.10): {@code user} recipient, {@code i64} message id chosen
 * by the sender, {@code u32} n, n bytes of sealed blob. The blob is opaque to the registry. Its
 * length is checked against {@link Limits#MAX_MAIL_BLOB_BYTES} before anything is allocated: a
 * larger one is MAIL_TOO_LARGE, an empty one or one that runs past the body MALFORMED_BODY.
 */
public record MailDeposit(String recipient, long messageId, byte[] blob) {
    /** Bytes of a deposit besides the name's and the blob's: the two length prefixes and the id. */
    public static final int FIXED_BYTES = 2 + 8 + 4;

    public static MailDeposit decode(BodyReader r) {
        String recipient = r.string(Limits.MAX_NAME_BYTES);
        long id = r.i64();
        byte[] blob = readBlob(r);
        r.end();
        return new MailDeposit(recipient, id, blob);
    }

    /**
     * Reads a {@code u32} length and that many blob bytes, checking the length (1 to
     * {@link Limits#MAX_MAIL_BLOB_BYTES}, and present in the body) before allocating.
     */
    static byte[] readBlob(BodyReader r) {
        long n = r.u32();
        if (n > Limits.MAX_MAIL_BLOB_BYTES) {
            throw new WireException(RegistryErrors.MAIL_TOO_LARGE,
                    "sealed blob of " + n + " bytes exceeds " + Limits.MAX_MAIL_BLOB_BYTES);
        }
        if (n == 0) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "sealed blob is empty");
        }
        if (n > r.remaining()) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "sealed blob of " + n + " bytes runs past the body");
        }
        byte[] blob = new byte[(int) n];
        r.fixed(blob);
        return blob;
    }

    static void writeBlob(BodyWriter w, byte[] blob, int off, int len) {
        w.i32(len).fixed(blob, off, len);
    }

    public void encode(BodyWriter w) {
        write(w, recipient, messageId, blob);
    }

    public static void write(BodyWriter w, CharSequence recipient, long messageId, byte[] blob) {
        w.string(recipient).i64(messageId);
        writeBlob(w, blob, 0, blob.length);
    }
}
