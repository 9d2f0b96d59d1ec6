package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

/**
 * MAIL_ACK request: {@code i64} up to sequence; the caller's entries with a sequence at or below
 * it are deleted. Negative is MALFORMED_BODY. The response is empty, sent once durable.
 */
public record MailAck(long upToSequence) {
    public static MailAck decode(BodyReader r) {
        long upTo = r.i64();
        r.end();
        if (upTo < 0) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "ack up to " + upTo + " is negative");
        }
        return new MailAck(upTo);
    }

    public void encode(BodyWriter w) {
        w.i64(upToSequence);
    }
}
