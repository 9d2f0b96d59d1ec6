package parley.peer.core;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A chat message as it travels inside the encrypted peer channel (PROTOCOL.md section 9.3):
 * <pre>
 *   u8 kind (1 = text) | i64 message id | i64 sent at (ms since epoch) | UTF-8 text (rest)
 * </pre>
 * Everything arriving is hostile even after decryption (the peer may be malicious): decode
 * checks the length, the kind and the UTF-8 and returns null when any is wrong; the receiver
 * then rejects the message (a REJECT frame with one of the codes below), so the sender reports it
 * failed instead of delivered.
 */
public final class ChatPayload {
    public static final int TEXT = 1;
    public static final int OVERHEAD = 1 + 8 + 8;
    /** The largest text, in UTF-8 bytes, a user may send and a peer accepts: 16 KiB. */
    public static final int MAX_TEXT = 16 * 1024;
    /**
     * Room above the text limit in the channel's message limit: an over-long text within it is
     * rejected (the sender hears TOO_LARGE); a message over the channel limit ends the session.
     */
    public static final int CHANNEL_SLACK = 4 * 1024;

    /** REJECT reason: not a chat payload (too short, unknown kind, or text that is not UTF-8). */
    public static final int REJECT_MALFORMED = 1;
    /** REJECT reason: the text is over the receiver's limit (16 KiB). */
    public static final int REJECT_TOO_LARGE = 2;

    public final long id;
    public final long sentAt;
    public final String text;

    public ChatPayload(long id, long sentAt, String text) {
        this.id = id;
        this.sentAt = sentAt;
        this.text = text;
    }

    /** The reliable channel's message limit for chat sessions whose text limit is {@code maxText}. */
    public static int channelLimit(int maxText) {
        return maxText + OVERHEAD + CHANNEL_SLACK;
    }

    public static byte[] encode(long id, long sentAt, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(OVERHEAD + t.length).put((byte) TEXT).putLong(id).putLong(sentAt).put(t).array();
    }

    /** The text's length in UTF-8 bytes: what the 16 KiB limit counts. */
    public static int textLength(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    public static ChatPayload decode(byte[] b) {
        if (b.length < OVERHEAD || b[0] != TEXT) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        buf.get();
        long id = buf.getLong();
        long sentAt = buf.getLong();
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buf).toString();
            return new ChatPayload(id, sentAt, text);
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** 0 if {@code payload} is a chat payload with at most {@code maxText} bytes of text, else the REJECT reason. */
    public static int check(byte[] payload, int maxText) {
        if (decode(payload) == null) {
            return REJECT_MALFORMED;
        }
        return payload.length - OVERHEAD > maxText ? REJECT_TOO_LARGE : 0;
    }

    /** What the sender is told when the receiver rejected its message with {@code reason}. */
    public static String rejectText(int reason) {
        switch (reason) {
            case REJECT_MALFORMED:
                return "the receiver could not read the message (not a chat payload)";
            case REJECT_TOO_LARGE:
                return "the receiver refused the message: over its " + MAX_TEXT + "-byte limit";
            default:
                return "the receiver refused the message (reason " + reason + ")";
        }
    }
}
