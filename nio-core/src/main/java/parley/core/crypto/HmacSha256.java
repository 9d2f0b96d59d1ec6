package parley.core.crypto;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Incremental HMAC-SHA-256 (RFC 2104) that allocates nothing after construction. The JDK's
 * {@code Mac} needs a fresh {@code SecretKeySpec} and re-initialisation for every key, and HPKE
 * changes key on almost every HMAC it computes; here the key is passed per {@link #start} and the
 * message is fed in pieces, which is how HPKE's labelled inputs are built (a concatenation of
 * constants and values that would otherwise need a scratch copy). Not thread-safe.
 */
public final class HmacSha256 {
    public static final int LENGTH = 32;
    private static final int BLOCK = 64;
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] pad = new byte[BLOCK];
    private final byte[] innerHash = new byte[LENGTH];

    public HmacSha256() {
        try {
            inner = MessageDigest.getInstance("SHA-256");
            outer = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    /** Begins an HMAC under {@code key[off, off+len)}; keys longer than a block are hashed first. */
    public HmacSha256 start(byte[] key, int off, int len) {
        java.util.Arrays.fill(pad, (byte) 0);
        if (len > BLOCK) {
            inner.reset();
            inner.update(key, off, len);
            digestInto(inner, pad, 0);
        } else {
            System.arraycopy(key, off, pad, 0, len);
        }
        inner.reset();
        outer.reset();
        for (int i = 0; i < BLOCK; i++) {
            byte k = pad[i];
            pad[i] = (byte) (k ^ IPAD);
        }
        inner.update(pad, 0, BLOCK);
        for (int i = 0; i < BLOCK; i++) {
            pad[i] = (byte) (pad[i] ^ IPAD ^ OPAD);
        }
        outer.update(pad, 0, BLOCK);
        return this;
    }

    public HmacSha256 start(byte[] key) {
        return start(key, 0, key.length);
    }

    public HmacSha256 update(byte[] data, int off, int len) {
        inner.update(data, off, len);
        return this;
    }

    public HmacSha256 update(byte[] data) {
        inner.update(data, 0, data.length);
        return this;
    }

    public HmacSha256 update(byte b) {
        inner.update(b);
        return this;
    }

    /** Writes the 32-byte tag at {@code out[off]}. The key may be the same array as {@code out}. */
    public void finish(byte[] out, int off) {
        digestInto(inner, innerHash, 0);
        outer.update(innerHash, 0, LENGTH);
        digestInto(outer, out, off);
    }

    private static void digestInto(MessageDigest md, byte[] out, int off) {
        try {
            md.digest(out, off, LENGTH);
        } catch (DigestException e) {
            throw new IllegalArgumentException("no room for a SHA-256 digest", e);
        }
    }
}
