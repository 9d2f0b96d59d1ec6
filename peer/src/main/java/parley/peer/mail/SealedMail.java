package parley.peer.mail;

import parley.core.crypto.Hpke;
import parley.core.crypto.X25519KeyPair;
import parley.server.protocol.Ed25519;
import parley.server.protocol.Usernames;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The sealed mail format (PROTOCOL.md 7.11): what a peer deposits in the registry's mailbox for an
 * offline contact. {@code blob = enc || ciphertext}, HPKE base mode to the recipient's identity
 * X25519 key, info {@code "parley-mail-1"}, aad the recipient's name in lower case. Inside: the
 * sender's name, the message id, the time, the kind and the body, then the sender's Ed25519
 * signature over {@code "parley-mail-1" || enc || recipient || everything before it}. So the
 * registry sees only the recipient, the size and the time (as in Signal's sealed sender), and the
 * signature binds the sender to this recipient and this very encapsulation: a blob cannot be
 * re-sealed to someone else or under another sender's name.
 *
 * <p>Not thread-safe (one {@link Hpke} inside): one per thread; the
 * peer uses it off the loop, on its hashing thread, since X25519 and Ed25519 are the costly part.
 */
public final class SealedMail {
    public static final int KIND_TEXT = 1;
    public static final int KIND_RECEIPT = 2;
    /** A group message (PROTOCOL.md 9.3.2): the body is the group body, checked by its reader. */
    public static final int KIND_GROUP = 3;
    /** A group body's bytes before its text: id, sequence, Lamport time, version (9.3.2). */
    public static final int GROUP_HEADER = 16 + 8 + 8 + 8;
    /** The largest text body, in UTF-8 bytes (the chat limit). */
    public static final int MAX_TEXT = 16 * 1024;
    /** A receipt's body: the i64 id of the message delivered. */
    public static final int RECEIPT_BODY = 8;
    public static final int SIGNATURE_LENGTH = 64;
    /** The largest blob MAIL_DEPOSIT carries. */
    public static final int MAX_BLOB = 32 * 1024;
    private static final int FIXED = 2 + 8 + 8 + 1 + 4;
    /** The smallest plaintext: a 3-character sender and an empty body. */
    private static final int MIN_PLAIN = FIXED + Usernames.MIN_LENGTH + SIGNATURE_LENGTH;
    public static final int MIN_BLOB = Hpke.OVERHEAD + MIN_PLAIN;
    private static final byte[] LABEL = "parley-mail-1".getBytes(StandardCharsets.US_ASCII);

    /** A mail's contents. {@code body} is the UTF-8 text, or for a receipt the 8-byte id. */
    public record Mail(String sender, long id, long sentAt, int kind, byte[] body) {
        public static Mail text(String sender, long id, long sentAt, String text) {
            return new Mail(sender, id, sentAt, KIND_TEXT, text.getBytes(StandardCharsets.UTF_8));
        }

        public static Mail group(String sender, long id, long sentAt, byte[] groupBody) {
            return new Mail(sender, id, sentAt, KIND_GROUP, groupBody);
        }

        public static Mail receipt(String sender, long id, long sentAt, long deliveredId) {
            return new Mail(sender, id, sentAt, KIND_RECEIPT, ByteBuffer.allocate(RECEIPT_BODY).putLong(deliveredId).array());
        }

        /** The text of a text mail (already checked to be valid UTF-8 when opened). */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The delivered message id of a receipt. */
        public long deliveredId() {
            return ByteBuffer.wrap(body).getLong();
        }
    }

    /** Why a blob was refused; each is counted by {@link MailCounters}. */
    public enum Rejection { MALFORMED, UNDECRYPTABLE, BAD_SIGNATURE, REPLAY }

    /** A blob that failed to open, with the reason. */
    public static final class Rejected extends Exception {
        public final Rejection reason;

        public Rejected(Rejection reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    /** A decrypted, parsed mail whose signature is still to be checked against the sender's key. */
    public static final class Opened {
        public final Mail mail;
        private final byte[] signed;
        private final byte[] signature;

        Opened(Mail mail, byte[] signed, byte[] signature) {
            this.mail = mail;
            this.signed = signed;
            this.signature = signature;
        }
    }

    private final Hpke hpke = new Hpke();
    public SealedMail() {
    }

    /** The sender's identity signing key: Ed25519 over the given bytes, 64 bytes back. */
    @FunctionalInterface
    public interface Signer {
        byte[] sign(byte[] message);
    }

    /** Seals {@code mail} to {@code recipient}, whose identity X25519 key is {@code recipientKey}. */
    public byte[] seal(Mail mail, String recipient, byte[] recipientKey, Signer senderSigning) {
        return seal(mail, recipient, recipientKey, senderSigning, X25519KeyPair.generate());
    }

    /** {@link #seal} with a given ephemeral key: for the spec's vectors only. */
    public byte[] seal(Mail mail, String recipient, byte[] recipientKey, Signer senderSigning, X25519KeyPair ephemeral) {
        byte[] sender = ascii(mail.sender);
        checkBody(mail.kind, mail.body.length);
        byte[] to = ascii(Usernames.key(recipient));
        ByteBuffer plain = ByteBuffer.allocate(FIXED + sender.length + mail.body.length + SIGNATURE_LENGTH);
        plain.putShort((short) sender.length).put(sender).putLong(mail.id).putLong(mail.sentAt)
                .put((byte) mail.kind).putInt(mail.body.length).put(mail.body);
        byte[] enc = ephemeral.publicKey();
        byte[] signature = senderSigning.sign(signedBytes(enc, to, plain.array(), plain.position()));
        if (signature.length != SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 signature is 64 bytes");
        }
        plain.put(signature).flip();
        ByteBuffer out = ByteBuffer.allocate(Hpke.OVERHEAD + plain.remaining());
        hpke.seal(ephemeral, recipientKey, null, LABEL, ByteBuffer.wrap(to), plain, out);
        return out.array();
    }

    /**
     * Decrypts and parses a blob addressed to {@code me}. A blob for someone else fails here too:
     * its aad (the recipient name) and key do not match. The signature is checked separately, by
     * {@link #verify}, once the caller has the sender's identity key.
     */
    public Opened open(byte[] blob, String me, X25519KeyPair myKey) throws Rejected {
        if (blob.length < MIN_BLOB || blob.length > MAX_BLOB) {
            throw new Rejected(Rejection.MALFORMED, "sealed mail of " + blob.length + " bytes");
        }
        byte[] to = ascii(Usernames.key(me));
        ByteBuffer plain = ByteBuffer.allocate(blob.length - Hpke.OVERHEAD);
        if (!hpke.open(myKey, null, LABEL, ByteBuffer.wrap(to), ByteBuffer.wrap(blob), plain)) {
            throw new Rejected(Rejection.UNDECRYPTABLE, "sealed mail does not open (tampered, or not for " + me + ")");
        }
        byte[] p = plain.array();
        ByteBuffer in = ByteBuffer.wrap(p);
        int nameLength = in.getShort() & 0xffff;
        if (nameLength < Usernames.MIN_LENGTH || nameLength > Usernames.MAX_LENGTH || in.remaining() < nameLength + FIXED - 2) {
            throw new Rejected(Rejection.MALFORMED, "bad sender name length " + nameLength);
        }
        String sender = new String(p, 2, nameLength, StandardCharsets.ISO_8859_1);
        if (Usernames.check(sender) != 0) {
            throw new Rejected(Rejection.MALFORMED, "bad sender name");
        }
        in.position(2 + nameLength);
        long id = in.getLong();
        long sentAt = in.getLong();
        int kind = in.get() & 0xff;
        long n = in.getInt() & 0xffffffffL;
        if (n != in.remaining() - SIGNATURE_LENGTH) {
            throw new Rejected(Rejection.MALFORMED, "body length " + n + " does not fit the mail");
        }
        try {
            checkBody(kind, (int) n);
        } catch (IllegalArgumentException e) {
            throw new Rejected(Rejection.MALFORMED, e.getMessage());
        }
        byte[] body = Arrays.copyOfRange(p, in.position(), in.position() + (int) n);
        if (kind == KIND_TEXT && !validUtf8(body)) {
            throw new Rejected(Rejection.MALFORMED, "text is not UTF-8");
        }
        int signedLength = p.length - SIGNATURE_LENGTH;
        byte[] signed = signedBytes(Arrays.copyOfRange(blob, 0, Hpke.ENC_LENGTH), to, p, signedLength);
        return new Opened(new Mail(sender, id, sentAt, kind, body), signed, Arrays.copyOfRange(p, signedLength, p.length));
    }

    /** Checks the sender's signature with its identity Ed25519 public key (32 bytes, RFC 8032). */
    public static void verify(Opened opened, byte[] senderIdentity) throws Rejected {
        if (!Ed25519.verify(senderIdentity, opened.signed, opened.signature)) {
            throw new Rejected(Rejection.BAD_SIGNATURE, "sealed mail from " + opened.mail.sender + " has a bad signature");
        }
    }

    private static byte[] signedBytes(byte[] enc, byte[] to, byte[] plain, int length) {
        return ByteBuffer.allocate(LABEL.length + enc.length + to.length + length)
                .put(LABEL).put(enc).put(to).put(plain, 0, length).array();
    }

    private static void checkBody(int kind, int n) {
        if (kind == KIND_GROUP ? n < GROUP_HEADER || n > GROUP_HEADER + MAX_TEXT
                : kind == KIND_TEXT ? n > MAX_TEXT : kind != KIND_RECEIPT || n != RECEIPT_BODY) {
            throw new IllegalArgumentException("kind " + kind + " with a body of " + n + " bytes");
        }
    }

    private static byte[] ascii(String name) {
        if (Usernames.check(name) != 0) {
            throw new IllegalArgumentException("not a user name: " + name);
        }
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean validUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

}
