package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/**
 * MAIL_DEPOSIT response: {@code i64} expires at, wall-clock milliseconds since the epoch. Sent
 * only once the deposit is durable; a repeated deposit gets the first one's answer.
 */
public record MailDepositReply(long expiresAtMillis) {
    public static MailDepositReply decode(BodyReader r) {
        long at = r.i64();
        r.end();
        return new MailDepositReply(at);
    }

    public void encode(BodyWriter w) {
        write(w, expiresAtMillis);
    }

    public static void write(BodyWriter w, long expiresAtMillis) {
        w.i64(expiresAtMillis);
    }
}
