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
    /** Kind, id and sent-at: the bytes before the text. */
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
    /**
     * REJECT reason of a group payload only (PROTOCOL.md 9.3.2): the receiver is not in that
     * group (it was removed, perhaps while the copy was in flight).
     */
    public static final int REJECT_NOT_MEMBER = 3;

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

    /** A message's text as the payload carries it: encode it once, when the user sends it, and keep it. */
    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A payload in a new array; for tests and vectors (the send path uses {@link #encode(ByteBuffer, long, long, byte[])}). */
    public static byte[] encode(long id, long sentAt, String text) {
        byte[] t = utf8(text);
        return encode(ByteBuffer.allocate(OVERHEAD + t.length), id, sentAt, t).array();
    }

    /**
     * Writes the payload of text already encoded as {@code utf8} into {@code out} (cleared first,
     * flipped after), and returns {@code out}: a loop-owned buffer reused for every message, since
     * the channel copies what it sends.
     */
    public static ByteBuffer encode(ByteBuffer out, long id, long sentAt, byte[] utf8) {
        out.clear();
        out.put((byte) TEXT).putLong(id).putLong(sentAt).put(utf8);
        return out.flip();
    }

    /** The text's length in UTF-8 bytes: what the 16 KiB limit counts. */
    public static int textLength(String text) {
        return utf8(text).length;
    }

    public static ChatPayload decode(byte[] b) {
        return decode(ByteBuffer.wrap(b));
    }

    /**
     * Decodes the payload from position to limit without moving either, or returns null if it is
     * not one. Only the text is copied out (into its String), so a received message is decoded
     * straight from the channel's buffer.
     */
    public static ChatPayload decode(ByteBuffer payload) {
        int at = payload.position();
        if (payload.remaining() < OVERHEAD || payload.get(at) != TEXT) {
            return null;
        }
        long id = payload.getLong(at + 1);
        long sentAt = payload.getLong(at + 1 + 8);
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(payload.duplicate().position(at + OVERHEAD)).toString();
            return new ChatPayload(id, sentAt, text);
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** 0 if {@code payload} is a chat payload with at most {@code maxText} bytes of text, else the REJECT reason. */
    public static int check(byte[] payload, int maxText) {
        return verdict(decode(payload), payload.length, maxText);
    }

    /** As {@link #check(byte[], int)}, on the payload from position to limit. */
    public static int check(ByteBuffer payload, int maxText) {
        return verdict(decode(payload), payload.remaining(), maxText);
    }

    /**
     * The REJECT reason for a payload of {@code length} bytes that decoded to {@code decoded}
     * (null if it did not), or 0 to take it: so a receiver decodes each message once.
     */
    public static int verdict(ChatPayload decoded, int length, int maxText) {
        if (decoded == null) {
            return REJECT_MALFORMED;
        }
        return length - OVERHEAD > maxText ? REJECT_TOO_LARGE : 0;
    }

    /** What the sender is told when the receiver rejected its message with {@code reason}. */
    public static String rejectText(int reason) {
        switch (reason) {
            case REJECT_MALFORMED:
                return "the receiver could not read the message (not a chat payload)";
            case REJECT_TOO_LARGE:
                return "the receiver refused the message: over its " + MAX_TEXT + "-byte limit";
            case REJECT_NOT_MEMBER:
                return GroupCopies.NOT_MEMBER;
            default:
                return "the receiver refused the message (reason " + reason + ")";
        }
    }
}
