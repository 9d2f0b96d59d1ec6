package parley.peer.group;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A group message's body (PROTOCOL.md 9.3.2), the same bytes inside a P2P session (after the chat
 * payload's kind 0x04, message id and sent-at) and inside sealed mail of kind 3:
 * <pre>
 *   16 bytes group id | i64 sequence | i64 lamport | i64 membership version | UTF-8 text (rest)
 * </pre>
 * The sequence is the sender's own per group, from 1 with no holes, so a receiver sees a gap; the
 * Lamport time orders every member's display alike (then the sender's name); the version is the
 * membership the sender fanned out to. Everything arriving is hostile: {@link #decode} checks the
 * length, each number's range and the UTF-8, and answers null when any is wrong.
 */
public record GroupPayload(byte[] groupId, long sequence, long lamport, long version, String text) {
    public static final int ID_BYTES = 16;
    /** The bytes before the text. */
    public static final int HEADER = ID_BYTES + 8 + 8 + 8;
    /** The chat payload kind that carries a group body inside a session (9.3.1, 9.3.2). */
    public static final int CHAT_KIND = 0x04;
    /** The sealed-mail kind that carries a group body through the mailbox (7.11, 9.3.2). */
    public static final int MAIL_KIND = 3;
    /** The largest text, in UTF-8 bytes: the chat limit. */
    public static final int MAX_TEXT = 16 * 1024;

    public byte[] encode() {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        if (groupId.length != ID_BYTES || t.length > MAX_TEXT || sequence < 1 || lamport < 1 || version < 1) {
            throw new IllegalArgumentException("not a group payload");
        }
        return ByteBuffer.allocate(HEADER + t.length).put(groupId).putLong(sequence).putLong(lamport).putLong(version)
                .put(t).array();
    }

    /** The body, or null when it is too short, a number is below 1, the text too long or not UTF-8. */
    public static GroupPayload decode(byte[] b) {
        if (b == null || b.length < HEADER || b.length - HEADER > MAX_TEXT) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(b);
        byte[] id = new byte[ID_BYTES];
        in.get(id);
        long seq = in.getLong();
        long lamport = in.getLong();
        long version = in.getLong();
        if (seq < 1 || lamport < 1 || version < 1) {
            return null;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in).toString();
            return new GroupPayload(id, seq, lamport, version, text);
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
