package parley.peer.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The safety number and short fingerprints of PROTOCOL.md section 7.9. The safety number depends
 * only on the two Ed25519 identity keys, sorted, so both users see the same 60 digits in every
 * session and after restarts; one SHA-512, cheap enough for the loop.
 */
public final class SafetyNumber {
    static final byte[] DOMAIN = "parley-safety-1".getBytes(StandardCharsets.US_ASCII);
    static final int GROUPS = 12;
    static final int GROUP_BYTES = 5;
    static final long GROUP_MODULUS = 100_000;
    private static final int SHORT_BYTES = 8;

    private SafetyNumber() {
    }

    /** The 60-digit safety number of two Ed25519 public keys, in 12 groups of 5 separated by spaces. */
    public static String of(byte[] ed25519A, byte[] ed25519B) {
        boolean aFirst = Arrays.compareUnsigned(ed25519A, ed25519B) <= 0;
        MessageDigest sha = digest("SHA-512");
        sha.update(DOMAIN);
        sha.update(aFirst ? ed25519A : ed25519B);
        sha.update(aFirst ? ed25519B : ed25519A);
        byte[] h = sha.digest();
        StringBuilder sb = new StringBuilder(GROUPS * (GROUP_BYTES + 1));
        for (int g = 0; g < GROUPS; g++) {
            long v = 0;
            for (int i = 0; i < GROUP_BYTES; i++) {
                v = (v << 8) | (h[g * GROUP_BYTES + i] & 0xff);
            }
            if (g > 0) {
                sb.append(' ');
            }
            String digits = Long.toString(v % GROUP_MODULUS);
            sb.append("00000", digits.length(), 5).append(digits);
        }
        return sb.toString();
    }

    /** The short fingerprint of an Ed25519 key: SHA-256, first 8 bytes, four groups of four upper-case hex digits. */
    public static String shortFingerprint(byte[] ed25519) {
        byte[] h = digest("SHA-256").digest(ed25519);
        StringBuilder sb = new StringBuilder(19);
        for (int i = 0; i < SHORT_BYTES; i++) {
            if (i > 0 && i % 2 == 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02X", h[i] & 0xff));
        }
        return sb.toString();
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is in every JDK", e);
        }
    }
}
