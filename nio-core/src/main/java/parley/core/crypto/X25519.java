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

    /**
     * o = p * q mod p; o may alias p or q. Unrolled by column into locals (generated: schoolbook
     * product, then the high 15 columns folded into the low ones times 38): no scratch array and
     * no bounds checks in the ladder's hottest code, the same arithmetic as TweetNaCl's M().
     */
    private static void mul(long[] o, long[] p, long[] q) {
        long p0 = p[0], q0 = q[0];
        long p1 = p[1], q1 = q[1];
        long p2 = p[2], q2 = q[2];
        long p3 = p[3], q3 = q[3];
        long p4 = p[4], q4 = q[4];
        long p5 = p[5], q5 = q[5];
        long p6 = p[6], q6 = q[6];
        long p7 = p[7], q7 = q[7];
        long p8 = p[8], q8 = q[8];
        long p9 = p[9], q9 = q[9];
        long p10 = p[10], q10 = q[10];
        long p11 = p[11], q11 = q[11];
        long p12 = p[12], q12 = q[12];
        long p13 = p[13], q13 = q[13];
        long p14 = p[14], q14 = q[14];
        long p15 = p[15], q15 = q[15];
        long t0 = p0 * q0;
        long t1 = p0 * q1 + p1 * q0;
        long t2 = p0 * q2 + p1 * q1 + p2 * q0;
        long t3 = p0 * q3 + p1 * q2 + p2 * q1 + p3 * q0;
        long t4 = p0 * q4 + p1 * q3 + p2 * q2 + p3 * q1 + p4 * q0;
        long t5 = p0 * q5 + p1 * q4 + p2 * q3 + p3 * q2 + p4 * q1 + p5 * q0;
        long t6 = p0 * q6 + p1 * q5 + p2 * q4 + p3 * q3 + p4 * q2 + p5 * q1 + p6 * q0;
        long t7 = p0 * q7 + p1 * q6 + p2 * q5 + p3 * q4 + p4 * q3 + p5 * q2 + p6 * q1 + p7 * q0;
        long t8 = p0 * q8 + p1 * q7 + p2 * q6 + p3 * q5 + p4 * q4 + p5 * q3 + p6 * q2 + p7 * q1 + p8 * q0;
        long t9 = p0 * q9 + p1 * q8 + p2 * q7 + p3 * q6 + p4 * q5 + p5 * q4 + p6 * q3 + p7 * q2 + p8 * q1 + p9 * q0;
        long t10 = p0 * q10 + p1 * q9 + p2 * q8 + p3 * q7 + p4 * q6 + p5 * q5 + p6 * q4 + p7 * q3 + p8 * q2 + p9 * q1 + p10 * q0;
        long t11 = p0 * q11 + p1 * q10 + p2 * q9 + p3 * q8 + p4 * q7 + p5 * q6 + p6 * q5 + p7 * q4 + p8 * q3 + p9 * q2 + p10 * q1 + p11 * q0;
        long t12 = p0 * q12 + p1 * q11 + p2 * q10 + p3 * q9 + p4 * q8 + p5 * q7 + p6 * q6 + p7 * q5 + p8 * q4 + p9 * q3 + p10 * q2 + p11 * q1 + p12 * q0;
        long t13 = p0 * q13 + p1 * q12 + p2 * q11 + p3 * q10 + p4 * q9 + p5 * q8 + p6 * q7 + p7 * q6 + p8 * q5 + p9 * q4 + p10 * q3 + p11 * q2 + p12 * q1 + p13 * q0;
        long t14 = p0 * q14 + p1 * q13 + p2 * q12 + p3 * q11 + p4 * q10 + p5 * q9 + p6 * q8 + p7 * q7 + p8 * q6 + p9 * q5 + p10 * q4 + p11 * q3 + p12 * q2 + p13 * q1 + p14 * q0;
        long t15 = p0 * q15 + p1 * q14 + p2 * q13 + p3 * q12 + p4 * q11 + p5 * q10 + p6 * q9 + p7 * q8 + p8 * q7 + p9 * q6 + p10 * q5 + p11 * q4 + p12 * q3 + p13 * q2 + p14 * q1 + p15 * q0;
        long t16 = p1 * q15 + p2 * q14 + p3 * q13 + p4 * q12 + p5 * q11 + p6 * q10 + p7 * q9 + p8 * q8 + p9 * q7 + p10 * q6 + p11 * q5 + p12 * q4 + p13 * q3 + p14 * q2 + p15 * q1;
        long t17 = p2 * q15 + p3 * q14 + p4 * q13 + p5 * q12 + p6 * q11 + p7 * q10 + p8 * q9 + p9 * q8 + p10 * q7 + p11 * q6 + p12 * q5 + p13 * q4 + p14 * q3 + p15 * q2;
        long t18 = p3 * q15 + p4 * q14 + p5 * q13 + p6 * q12 + p7 * q11 + p8 * q10 + p9 * q9 + p10 * q8 + p11 * q7 + p12 * q6 + p13 * q5 + p14 * q4 + p15 * q3;
        long t19 = p4 * q15 + p5 * q14 + p6 * q13 + p7 * q12 + p8 * q11 + p9 * q10 + p10 * q9 + p11 * q8 + p12 * q7 + p13 * q6 + p14 * q5 + p15 * q4;
        long t20 = p5 * q15 + p6 * q14 + p7 * q13 + p8 * q12 + p9 * q11 + p10 * q10 + p11 * q9 + p12 * q8 + p13 * q7 + p14 * q6 + p15 * q5;
        long t21 = p6 * q15 + p7 * q14 + p8 * q13 + p9 * q12 + p10 * q11 + p11 * q10 + p12 * q9 + p13 * q8 + p14 * q7 + p15 * q6;
        long t22 = p7 * q15 + p8 * q14 + p9 * q13 + p10 * q12 + p11 * q11 + p12 * q10 + p13 * q9 + p14 * q8 + p15 * q7;
        long t23 = p8 * q15 + p9 * q14 + p10 * q13 + p11 * q12 + p12 * q11 + p13 * q10 + p14 * q9 + p15 * q8;
        long t24 = p9 * q15 + p10 * q14 + p11 * q13 + p12 * q12 + p13 * q11 + p14 * q10 + p15 * q9;
        long t25 = p10 * q15 + p11 * q14 + p12 * q13 + p13 * q12 + p14 * q11 + p15 * q10;
        long t26 = p11 * q15 + p12 * q14 + p13 * q13 + p14 * q12 + p15 * q11;
        long t27 = p12 * q15 + p13 * q14 + p14 * q13 + p15 * q12;
        long t28 = p13 * q15 + p14 * q14 + p15 * q13;
        long t29 = p14 * q15 + p15 * q14;
        long t30 = p15 * q15;
        o[0] = t0 + FOLD * t16;
        o[1] = t1 + FOLD * t17;
        o[2] = t2 + FOLD * t18;
        o[3] = t3 + FOLD * t19;
        o[4] = t4 + FOLD * t20;
        o[5] = t5 + FOLD * t21;
        o[6] = t6 + FOLD * t22;
        o[7] = t7 + FOLD * t23;
        o[8] = t8 + FOLD * t24;
        o[9] = t9 + FOLD * t25;
        o[10] = t10 + FOLD * t26;
        o[11] = t11 + FOLD * t27;
        o[12] = t12 + FOLD * t28;
        o[13] = t13 + FOLD * t29;
        o[14] = t14 + FOLD * t30;
        o[15] = t15;
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
