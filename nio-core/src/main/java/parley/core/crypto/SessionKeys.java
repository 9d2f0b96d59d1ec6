package parley.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The keys of one peer session, derived on each side from the X25519 secret with HKDF-SHA256.
 * The transcript (both public keys and both session ids) is the HKDF salt, so keys are bound to
 * this exact exchange. Each direction has its own key and IV: the side whose public key sorts
 * lower sends with "lo" and receives with "hi", so both agree without a role byte.
 *
 * <p>Each direction also has an AES-256-GCM key (PROTOCOL.md 9.1, "lo gcm key" / "hi gcm key"),
 * used only once the peer offered AES-256-GCM (frame SUITES, 9.3); the IVs are shared by both
 * AEADs, whose keys differ, so a nonce never repeats under one key.
 */
public final class SessionKeys {
    public final byte[] sendKey;
    public final byte[] sendIv;
    public final byte[] receiveKey;
    public final byte[] receiveIv;
    /** The AES-256-GCM key this side seals with ({@code gcm_key_lo} on the lo side). */
    public final byte[] gcmSendKey;
    /** The AES-256-GCM key the peer seals with, so the one this side opens with. */
    public final byte[] gcmReceiveKey;
    public final String fingerprint;

    private SessionKeys(Direction send, Direction receive, String fingerprint) {
        this.sendKey = send.key;
        this.sendIv = send.iv;
        this.gcmSendKey = send.gcmKey;
        this.receiveKey = receive.key;
        this.receiveIv = receive.iv;
        this.gcmReceiveKey = receive.gcmKey;
        this.fingerprint = fingerprint;
    }

    /** One direction's keys and IV, as the prefix ("lo" or "hi") of its labels names them. */
    private record Direction(byte[] key, byte[] iv, byte[] gcmKey) {
        static Direction expand(byte[] prk, String side) {
            return new Direction(Hkdf.expand(prk, ascii(side + " key"), 32), Hkdf.expand(prk, ascii(side + " iv"), 12),
                    Hkdf.expand(prk, ascii(side + " gcm key"), 32));
        }
    }

    public static SessionKeys derive(X25519KeyPair mine, long mySessionId, byte[] theirPublicKey, long theirSessionId) {
        byte[] myPublic = mine.publicKey();
        boolean iAmLow = Arrays.compareUnsigned(myPublic, theirPublicKey) < 0;
        byte[] lo = iAmLow ? myPublic : theirPublicKey;
        byte[] hi = iAmLow ? theirPublicKey : myPublic;
        long loId = iAmLow ? mySessionId : theirSessionId;
        long hiId = iAmLow ? theirSessionId : mySessionId;
        byte[] transcript = new byte[32 + 32 + 8 + 8 + 9];
        System.arraycopy("parley-v1".getBytes(StandardCharsets.US_ASCII), 0, transcript, 0, 9);
        System.arraycopy(lo, 0, transcript, 9, 32);
        System.arraycopy(hi, 0, transcript, 41, 32);
        putLong(transcript, 73, loId);
        putLong(transcript, 81, hiId);
        byte[] prk = Hkdf.extract(transcript, mine.agree(theirPublicKey));
        Direction loSide = Direction.expand(prk, "lo");
        Direction hiSide = Direction.expand(prk, "hi");
        String fp = fingerprint(lo, hi);
        return iAmLow ? new SessionKeys(loSide, hiSide, fp) : new SessionKeys(hiSide, loSide, fp);
    }

    /**
     * A short code both users can read to each other: SHA-256 over both public keys in sorted
     * order, first 10 bytes, as five groups of four hex digits. The same on both sides.
     */
    public static String fingerprint(byte[] a, byte[] b) {
        boolean aLow = Arrays.compareUnsigned(a, b) < 0;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(aLow ? a : b);
            sha.update(aLow ? b : a);
            byte[] d = sha.digest();
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                if (i > 0 && i % 2 == 0) {
                    out.append(' ');
                }
                out.append(String.format("%02X", d[i] & 0xFF));
            }
            return out.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }
}
