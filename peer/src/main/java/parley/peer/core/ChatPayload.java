package parley.peer.core;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A chat message as it travels inside the encrypted peer channel:
 * <pre>
 *   u8 kind (1 = text) | i64 message id | i64 sent at (ms since epoch) | UTF-8 text (rest)
 * </pre>
 * Everything arriving is hostile even after decryption (the peer may be malicious): decode
 * checks the length and the UTF-8 and returns null when either is wrong.
 */
public final class ChatPayload {
    public static final int TEXT = 1;
    public static final int OVERHEAD = 1 + 8 + 8;

    public final long id;
    public final long sentAt;
    public final String text;

    public ChatPayload(long id, long sentAt, String text) {
        this.id = id;
        this.sentAt = sentAt;
        this.text = text;
    }

    public static byte[] encode(long id, long sentAt, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(OVERHEAD + t.length).put((byte) TEXT).putLong(id).putLong(sentAt).put(t).array();
    }

    public static int encodedLength(String text) {
        return OVERHEAD + text.getBytes(StandardCharsets.UTF_8).length;
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
}
