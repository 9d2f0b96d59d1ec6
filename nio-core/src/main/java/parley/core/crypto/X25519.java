package parley.core.crypto;

/**
 * X25519 (RFC 7748) that allocates nothing: every temporary lives in this object, reused from
 * call to call. Field elements of GF(2^255 - 19) are 16 signed 64-bit limbs of 16 bits each
 * (radix 2^16), the representation and formulas of TweetNaCl's {@code crypto_scalarmult}
 * (public domain, Bernstein et al.), transcribed to Java.
 *
 * <p>Why hand-written: the JDK's XDH allocates about 13 KB per operation (key objects, the X.509
 * encoding it insists on, its field arithmetic), which HPKE's seal and open must not (hot paths
 * allocate nothing). Constant time: the Montgomery ladder runs all 255 steps whatever the scalar,
 * swaps by masks ({@link #cswap}), and no branch or array index depends on the scalar, the
 * point, or intermediate values; the only branches are on loop counters.
 *
 * <p>Not thread-safe: one instance per thread (the scratch is shared by every call).
 */
public final class X25519 {
    public static final int KEY_LENGTH = 32;
    private static final int LIMBS = 16;
    private static final int LIMB_BITS = 16;
    private static final long LIMB_MASK = 0xffff;
    /** 2^256 = 38 (mod p): the weight folded back when a product's high half is reduced. */
    private static final long FOLD = 38;
    /** (A - 2) / 4 = 121665 for curve25519's A = 486662, as limbs. */
    private static final long[] A24 = {0xdb41, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** The scalar's top bit index: clamping sets bit 254 and clears 255. */
    private static final int TOP_BIT = 254;

    private final byte[] scalar = new byte[KEY_LENGTH];
    private final byte[] basePoint = new byte[KEY_LENGTH];
    private final long[] x = new long[LIMBS];
    private final long[] a = new long[LIMBS];
    private final long[] b = new long[LIMBS];
    private final long[] c = new long[LIMBS];
    private final long[] d = new long[LIMBS];
    private final long[] e = new long[LIMBS];
    private final long[] f = new long[LIMBS];
    private final long[] product = new long[2 * LIMBS - 1];
    private final long[] packT = new long[LIMBS];
    private final long[] packM = new long[LIMBS];

    public X25519() {
        basePoint[0] = 9;
    }

    /**
     * X25519(k, u) (RFC 7748 section 5): clamps a copy of the 32-byte scalar {@code k}, decodes
     * {@code u} with its top bit masked, and writes the 32-byte result to {@code out}. Returns
     * false when the result is all zero (a low-order {@code u}: callers must refuse it, section
     * 6.1); the result is written either way.
     */
    public boolean scalarMult(byte[] k, int kOff, byte[] u, int uOff, byte[] out, int outOff) {
        System.arraycopy(k, kOff, scalar, 0, KEY_LENGTH);
        scalar[0] &= (byte) 248;
        scalar[31] = (byte) ((scalar[31] & 127) | 64);
        unpack(x, u, uOff);
        for (int i = 0; i < LIMBS; i++) {
            b[i] = x[i];
            a[i] = 0;
            c[i] = 0;
            d[i] = 0;
        }
        a[0] = 1;
        d[0] = 1;
        for (int i = TOP_BIT; i >= 0; i--) {
            int bit = (scalar[i >>> 3] >>> (i & 7)) & 1;
            cswap(a, b, bit);
            cswap(c, d, bit);
            add(e, a, c);
            sub(a, a, c);
            add(c, b, d);
            sub(b, b, d);
            mul(d, e, e);
            mul(f, a, a);
            mul(a, c, a);
            mul(c, b, e);
            add(e, a, c);
            sub(a, a, c);
            mul(b, a, a);
            sub(c, d, f);
            mul(a, c, A24);
            add(a, a, d);
            mul(c, c, a);
            mul(a, d, f);
            mul(d, b, x);
            mul(b, e, e);
            cswap(a, b, bit);
            cswap(c, d, bit);
        }
        invert(e, c);
        mul(a, a, e);
        pack(out, outOff, a);
        java.util.Arrays.fill(scalar, (byte) 0);
        int acc = 0;
        for (int i = 0; i < KEY_LENGTH; i++) {
            acc |= out[outOff + i];
        }
        return acc != 0;
    }

    /** The public key of private key {@code k}: X25519(k, 9). */
    public void publicKey(byte[] k, int kOff, byte[] out, int outOff) {
        scalarMult(k, kOff, basePoint, 0, out, outOff);
    }

    /** Swaps p and q when {@code bit} is 1, by masks: no branch on the (secret) bit. */
    private static void cswap(long[] p, long[] q, int bit) {
        long mask = -bit;
        for (int i = 0; i < LIMBS; i++) {
            long t = mask & (p[i] ^ q[i]);
            p[i] ^= t;
            q[i] ^= t;
        }
    }

    private static void add(long[] o, long[] p, long[] q) {
        for (int i = 0; i < LIMBS; i++) {
            o[i] = p[i] + q[i];
        }
    }

    private static void sub(long[] o, long[] p, long[] q) {
        for (int i = 0; i < LIMBS; i++) {
            o[i] = p[i] - q[i];
        }
    }

    /** Carries every limb into the next (the top one into limb 0 times 38); keeps the value mod p. */
    private static void carry(long[] o) {
        for (int i = 0; i < LIMBS; i++) {
            long k = o[i] >> LIMB_BITS;
            o[i] &= LIMB_MASK;
            if (i < LIMBS - 1) {
                o[i + 1] += k;
            } else {
                o[0] += FOLD * k;
            }
        }
    }

    /** o = p * q mod p; o may alias p or q (the product goes through {@link #product}). */
    private void mul(long[] o, long[] p, long[] q) {
        long[] t = product;
        java.util.Arrays.fill(t, 0);
        for (int i = 0; i < LIMBS; i++) {
            long pi = p[i];
            for (int j = 0; j < LIMBS; j++) {
                t[i + j] += pi * q[j];
            }
        }
        for (int i = 0; i < LIMBS - 1; i++) {
            t[i] += FOLD * t[i + LIMBS];
        }
        System.arraycopy(t, 0, o, 0, LIMBS);
        carry(o);
        carry(o);
    }

    /** o = i^(p-2) = 1/i (Fermat), by a fixed chain of squarings and multiplications. */
    private void invert(long[] o, long[] i) {
        long[] t = f;
        System.arraycopy(i, 0, t, 0, LIMBS);
        for (int k = 253; k >= 0; k--) {
            mul(t, t, t);
            if (k != 2 && k != 4) {
                mul(t, t, i);
            }
        }
        System.arraycopy(t, 0, o, 0, LIMBS);
    }

    private static void unpack(long[] o, byte[] n, int off) {
        for (int i = 0; i < LIMBS; i++) {
            o[i] = (n[off + 2 * i] & 0xff) | ((long) (n[off + 2 * i + 1] & 0xff) << 8);
        }
        o[LIMBS - 1] &= 0x7fff;
    }

    /** Encodes the fully reduced value (subtracting p at most twice, by masks) little-endian. */
    private void pack(byte[] out, int off, long[] n) {
        long[] t = packT;
        long[] m = packM;
        System.arraycopy(n, 0, t, 0, LIMBS);
        carry(t);
        carry(t);
        carry(t);
        for (int j = 0; j < 2; j++) {
            m[0] = t[0] - 0xffed;
            for (int i = 1; i < LIMBS - 1; i++) {
                m[i] = t[i] - 0xffff - ((m[i - 1] >> LIMB_BITS) & 1);
                m[i - 1] &= LIMB_MASK;
            }
            m[LIMBS - 1] = t[LIMBS - 1] - 0x7fff - ((m[LIMBS - 2] >> LIMB_BITS) & 1);
            int borrow = (int) ((m[LIMBS - 1] >> LIMB_BITS) & 1);
            m[LIMBS - 2] &= LIMB_MASK;
            cswap(t, m, 1 - borrow);
        }
        for (int i = 0; i < LIMBS; i++) {
            out[off + 2 * i] = (byte) t[i];
            out[off + 2 * i + 1] = (byte) (t[i] >> 8);
        }
    }
}
