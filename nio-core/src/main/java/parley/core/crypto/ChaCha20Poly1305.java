package parley.core.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * ChaCha20-Poly1305 AEAD (RFC 8439) that works in place on heap buffers and allocates nothing.
 * The JDK's cipher must be re-initialised for every nonce, which allocates on each packet; this
 * one takes the nonce per call. Checked against the JDK implementation on random inputs in tests.
 *
 * <p>The two primitives have classes of their own: {@link ChaCha20} (scalar, or 8 blocks at once
 * with the incubating Vector API when the JVM has it: see there) and {@link Poly1305} (radix
 * 2^64 with {@link Math#multiplyHigh}). Measured before and not faster here: one fused
 * encrypt-and-MAC pass (register pressure), fully unrolled rounds (too big to compile well). The
 * tag comparison is branch-free. Not thread-safe: one per direction.
 */
public final class ChaCha20Poly1305 implements Aead {
    public static final int TAG_LENGTH = 16;
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Input for block 0, so that ChaCha20 writes the raw keystream that keys Poly1305. Never written. */
    private static final byte[] ZERO64 = new byte[ChaCha20.BLOCK];

    private final ChaCha20 chacha;
    private final Poly1305 poly = new Poly1305();
    /** Block 0's keystream: r and s of the one-time Poly1305 key. */
    private final byte[] polyKey = new byte[ChaCha20.BLOCK];
    /** A zero-padded last block of aad or ciphertext, then the lengths block. */
    private final byte[] last = new byte[16];

    /** Uses the Vector API for ChaCha20 when this JVM has it ({@link ChaCha20#VECTOR_AVAILABLE}). */
    public ChaCha20Poly1305(byte[] key32) {
        this(key32, ChaCha20.VECTOR_AVAILABLE);
    }

    /** With ChaCha20's vector path on or off: for tests of both paths. */
    ChaCha20Poly1305(byte[] key32, boolean vector) {
        chacha = new ChaCha20(vector);
        rekey(key32);
    }

    /**
     * Replaces the key, so that a user whose key changes per message (HPKE: one key per sealed
     * mail) keeps one instance and allocates nothing.
     */
    public void rekey(byte[] key32) {
        chacha.rekey(key32);
    }

    /**
     * Encrypts {@code plain} (position to limit) into {@code out} at its position and appends the
     * tag, authenticating {@code aad} (position to limit). All three must be heap buffers.
     */
    @Override
    public void seal(byte[] nonce, ByteBuffer aad, ByteBuffer plain, ByteBuffer out) {
        int n = plain.remaining();
        if (out.remaining() < n + TAG_LENGTH) {
            throw new IllegalArgumentException("output too small");
        }
        int outPos = out.position();
        chacha.xor(nonce, 1, plain.array(), plain.arrayOffset() + plain.position(), out.array(), out.arrayOffset() + outPos, n);
        plain.position(plain.limit());
        mac(nonce, aad, out.array(), out.arrayOffset() + outPos, n);
        LE_LONG.set(out.array(), out.arrayOffset() + outPos + n, poly.tagLo);
        LE_LONG.set(out.array(), out.arrayOffset() + outPos + n + 8, poly.tagHi);
        out.position(outPos + n + TAG_LENGTH);
        aad.position(aad.limit());
    }

    /**
     * Verifies and decrypts {@code sealed} (position to limit, tag last) into {@code out}. Returns
     * false, writing nothing, if the tag does not verify.
     */
    @Override
    public boolean open(byte[] nonce, ByteBuffer aad, ByteBuffer sealed, ByteBuffer out) {
        int n = sealed.remaining() - TAG_LENGTH;
        if (n < 0 || out.remaining() < n) {
            return false;
        }
        byte[] in = sealed.array();
        int inPos = sealed.arrayOffset() + sealed.position();
        mac(nonce, aad, in, inPos, n);
        // Constant-time compare: no early exit on the first differing byte.
        long diff = (poly.tagLo ^ (long) LE_LONG.get(in, inPos + n)) | (poly.tagHi ^ (long) LE_LONG.get(in, inPos + n + 8));
        if (diff != 0) {
            return false;
        }
        chacha.xor(nonce, 1, in, inPos, out.array(), out.arrayOffset() + out.position(), n);
        out.position(out.position() + n);
        sealed.position(sealed.limit());
        aad.position(aad.limit());
        return true;
    }

    // ---- Poly1305 over the AEAD's input ---------------------------------------------------------

    /** tag = Poly1305(one-time key, aad | pad16 | ciphertext | pad16 | lengths), into poly's tagLo/tagHi. */
    private void mac(byte[] nonce, ByteBuffer aad, byte[] ct, int ctPos, int ctLen) {
        chacha.xor(nonce, 0, ZERO64, 0, polyKey, 0, ChaCha20.BLOCK);
        poly.init(polyKey, 0);
        int aadLen = aad.remaining();
        absorbPadded(aad.array(), aad.arrayOffset() + aad.position(), aadLen);
        absorbPadded(ct, ctPos, ctLen);
        LE_LONG.set(last, 0, (long) aadLen);
        LE_LONG.set(last, 8, (long) ctLen);
        poly.blocks(last, 0, 16);
        poly.finish();
    }

    /** Absorbs {@code n} bytes, zero-padding the last block to 16 (the AEAD's pad16). */
    private void absorbPadded(byte[] b, int at, int n) {
        int full = n & ~15;
        poly.blocks(b, at, full);
        int rest = n - full;
        if (rest > 0) {
            byte[] block = last;
            Arrays.fill(block, (byte) 0);
            System.arraycopy(b, at + full, block, 0, rest);
            poly.blocks(block, 0, 16);
        }
    }
}
