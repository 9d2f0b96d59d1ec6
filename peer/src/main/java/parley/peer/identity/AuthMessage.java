package parley.peer.identity;

import parley.server.protocol.Ed25519;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The AUTH chat payload (kind 0x02, PROTOCOL.md sections 7.9 and 9.3.1): the first stream
 * message of each side, an Ed25519 signature by its identity over the session's transcript
 * {@code "parley-auth-1" || pub_lo || pub_hi || sid_lo || sid_hi || role}. Each side signs with its
 * own role and checks the other's with the other's role, from its own view of the session: a
 * registry that swapped the ephemeral keys leaves the two views different.
 */
public final class AuthMessage {
    public static final int KIND = 0x02;
    public static final int BYTES = 1 + Ed25519.SIGNATURE_BYTES;
    public static final byte[] DOMAIN = "parley-auth-1".getBytes(StandardCharsets.US_ASCII);
    public static final int ROLE_LO = 0x00;
    public static final int ROLE_HI = 0x01;
    private static final int KEY = 32;
    public static final int SIGNED_BYTES = 13 + KEY + KEY + 8 + 8 + 1;

    private AuthMessage() {
    }

    /** True when {@code myPub} sorts lower than {@code theirPub} (section 9.1): this side is lo. */
    public static boolean isLo(byte[] myPub, byte[] theirPub) {
        return Arrays.compareUnsigned(myPub, theirPub) < 0;
    }

    /**
     * The 94 signed bytes for the side whose ephemeral key is {@code signerPub} and session id
     * {@code signerSid}, the other side's being {@code otherPub} and {@code otherSid}.
     */
    public static byte[] transcript(byte[] signerPub, long signerSid, byte[] otherPub, long otherSid) {
        boolean signerLo = isLo(signerPub, otherPub);
        ByteBuffer b = ByteBuffer.allocate(SIGNED_BYTES);
        b.put(DOMAIN);
        b.put(signerLo ? signerPub : otherPub).put(signerLo ? otherPub : signerPub);
        b.putLong(signerLo ? signerSid : otherSid).putLong(signerLo ? otherSid : signerSid);
        b.put((byte) (signerLo ? ROLE_LO : ROLE_HI));
        return b.array();
    }

    /** The 65-byte payload carrying {@code signature}. */
    public static byte[] encode(byte[] signature) {
        byte[] out = new byte[BYTES];
        out[0] = KIND;
        System.arraycopy(signature, 0, out, 1, Ed25519.SIGNATURE_BYTES);
        return out;
    }

    /** True when the payload from position to limit is kind 0x02 (an AUTH, well formed or not). */
    public static boolean isAuth(ByteBuffer payload) {
        return payload.remaining() > 0 && payload.get(payload.position()) == KIND;
    }

    /** The signature of a well-formed AUTH payload, or null (wrong kind or length). */
    public static byte[] signature(ByteBuffer payload) {
        if (payload.remaining() != BYTES || !isAuth(payload)) {
            return null;
        }
        byte[] sig = new byte[Ed25519.SIGNATURE_BYTES];
        payload.duplicate().position(payload.position() + 1).get(sig);
        return sig;
    }
}
