package parley.server.protocol;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The proof a UDP probe carries instead of the session token (PROTOCOL.md section 7.2):
 * HMAC-SHA256 keyed by the 32-byte probe key from LOGIN_FINISH, over the datagram from its first
 * header byte up to the MAC, truncated to its first {@link #MAC_BYTES} bytes.
 *
 * <p>HMAC is written out over one reused {@link MessageDigest} rather than a {@code javax.crypto.Mac}
 * because {@code Mac.init} copies the key on every call and the key changes with each datagram's
 * session: this way a probe costs the loop one small hash and no allocation. One instance per
 * loop thread; not thread-safe.
 */
public final class ProbeMac {
    public static final int KEY_BYTES = 32;
    public static final int MAC_BYTES = 16;
    private static final int BLOCK = 64;
    private static final int HASH = 32;
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;
    /** The longest input: a PROBE_CONFIRM's header and body before its MAC. */
    private static final int MAX_INPUT = 128;

    private final MessageDigest sha256;
    private final byte[] pad = new byte[BLOCK];
    private final byte[] input = new byte[MAX_INPUT];
    private final byte[] digest = new byte[HASH];

    public ProbeMac() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Writes the MAC of {@code d[start, macAt)} at {@code macAt}. */
    public void seal(byte[] key, ByteBuffer d, int start, int macAt) {
        compute(key, d, start, macAt);
        d.put(macAt, digest, 0, MAC_BYTES);
    }

    /** True if the {@link #MAC_BYTES} at {@code macAt} are the MAC of {@code d[start, macAt)}; compared in constant time. */
    public boolean verify(byte[] key, ByteBuffer d, int start, int macAt) {
        compute(key, d, start, macAt);
        int diff = 0;
        for (int i = 0; i < MAC_BYTES; i++) {
            diff |= digest[i] ^ d.get(macAt + i);
        }
        return diff == 0;
    }

    /** The full HMAC-SHA256 lands in {@link #digest}. RFC 2104 with a key shorter than the block. */
    private void compute(byte[] key, ByteBuffer d, int start, int end) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a probe key is " + KEY_BYTES + " bytes");
        }
        int length = end - start;
        if (length < 0 || length > MAX_INPUT) {
            throw new IllegalArgumentException("probe MAC input of " + length + " bytes");
        }
        d.get(start, input, 0, length);
        keyPad(key, IPAD);
        sha256.reset();
        sha256.update(pad, 0, BLOCK);
        sha256.update(input, 0, length);
        finish();
        keyPad(key, OPAD);
        sha256.update(pad, 0, BLOCK);
        sha256.update(digest, 0, HASH);
        finish();
    }

    private void keyPad(byte[] key, byte with) {
        for (int i = 0; i < BLOCK; i++) {
            pad[i] = (byte) ((i < key.length ? key[i] : 0) ^ with);
        }
    }

    private void finish() {
        try {
            sha256.digest(digest, 0, HASH);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
    }
}
