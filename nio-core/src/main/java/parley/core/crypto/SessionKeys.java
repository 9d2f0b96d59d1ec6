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
 */
public final class SessionKeys {
    public final byte[] sendKey;
    public final byte[] sendIv;
    public final byte[] receiveKey;
    public final byte[] receiveIv;
    public final String fingerprint;

    private SessionKeys(byte[] sendKey, byte[] sendIv, byte[] receiveKey, byte[] receiveIv, String fingerprint) {
        this.sendKey = sendKey;
        this.sendIv = sendIv;
        this.receiveKey = receiveKey;
        this.receiveIv = receiveIv;
        this.fingerprint = fingerprint;
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
        byte[] loKey = Hkdf.expand(prk, ascii("lo key"), 32);
        byte[] loIv = Hkdf.expand(prk, ascii("lo iv"), 12);
        byte[] hiKey = Hkdf.expand(prk, ascii("hi key"), 32);
        byte[] hiIv = Hkdf.expand(prk, ascii("hi iv"), 12);
        String fp = fingerprint(lo, hi);
        return iAmLow ? new SessionKeys(loKey, loIv, hiKey, hiIv, fp) : new SessionKeys(hiKey, hiIv, loKey, loIv, fp);
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
