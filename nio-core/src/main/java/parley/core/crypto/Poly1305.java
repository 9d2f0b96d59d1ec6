package parley.core.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Poly1305 (RFC 8439 section 2.5) for {@link ChaCha20Poly1305}, in radix 2^64: the accumulator h
 * is two 64-bit limbs and a small third (h2, at most a few bits), r is two 64-bit limbs. A block
 * costs four 64x64->128 products ({@code *} and {@link Math#multiplyHigh}, both intrinsics on
 * JDK 17) and two small ones, against 25 products in the 26-bit "donna" layout this replaced.
 * Java 17 has no unsigned multiplyHigh: the clamped r limbs are below 2^60, so only h's sign
 * needs a correction ({@link #mulHigh}). Carries are computed with bit operations, not compares,
 * so no branch depends on h; the final reduction is branch-free too. Allocation-free, not
 * thread-safe.
 */
final class Poly1305 {
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** RFC 8439's clamp of r: the top four bits of each 32-bit word and the bottom two of the upper three. */
    private static final long CLAMP_LO = 0x0ffffffc0fffffffL;
    private static final long CLAMP_HI = 0x0ffffffc0ffffffcL;
    /** The bits of h2 that stay above 2^130 - 5's reach: h2 & ~3 is a multiple of 2^130. */
    private static final long LOW2 = 3;

    private long r0;
    private long r1;
    /** 5 * r1 / 4: r1 is a multiple of 4 after the clamp, and 2^128 * r1 = r1 / 4 * 5 mod 2^130 - 5. */
    private long s1;
    private long h0;
    private long h1;
    private long h2;
    private long pad0;
    private long pad1;
    /** The tag after {@link #finish}, little-endian halves. */
    long tagLo;
    long tagHi;

    /** Starts a MAC with the 32-byte one-time key at {@code key[at]}: r (clamped) then s. */
    void init(byte[] key, int at) {
        r0 = (long) LE_LONG.get(key, at) & CLAMP_LO;
        r1 = (long) LE_LONG.get(key, at + 8) & CLAMP_HI;
        s1 = r1 + (r1 >>> 2);
        pad0 = (long) LE_LONG.get(key, at + 16);
        pad1 = (long) LE_LONG.get(key, at + 24);
        h0 = 0;
        h1 = 0;
        h2 = 0;
    }

    /**
     * Absorbs the {@code len / 16} whole blocks at {@code at}, each with its 2^128 bit: h = (h +
     * block + 2^128) * r, partly reduced mod 2^130 - 5 (h2 stays at most 4, h below 2 * p).
     */
    void blocks(byte[] m, int at, int len) {
        final long r0 = this.r0, r1 = this.r1, s1 = this.s1;
        long h0 = this.h0, h1 = this.h1, h2 = this.h2;
        for (int end = at + (len & ~15); at < end; at += 16) {
            long m0 = (long) LE_LONG.get(m, at);
            long m1 = (long) LE_LONG.get(m, at + 8);
            // h += m + 2^128
            long t0 = h0 + m0;
            long c = carry(h0, m0, t0);
            long t1 = h1 + m1;
            long c1 = carry(h1, m1, t1);
            long t1c = t1 + c;
            c1 += carry(t1, c, t1c);
            h0 = t0;
            h1 = t1c;
            h2 += c1 + 1;
            // d0 = h0 r0 + h1 s1, d1 = h0 r1 + h1 r0 + h2 s1, d2 = h2 r0 (each below 2^127)
            long d0lo = h0 * r0;
            long d0hi = mulHigh(h0, r0);
            long p = h1 * s1;
            long sum = d0lo + p;
            d0hi += mulHigh(h1, s1) + carry(d0lo, p, sum);
            d0lo = sum;
            long d1lo = h0 * r1;
            long d1hi = mulHigh(h0, r1);
            p = h1 * r0;
            sum = d1lo + p;
            d1hi += mulHigh(h1, r0) + carry(d1lo, p, sum);
            d1lo = sum;
            p = h2 * s1;
            sum = d1lo + p;
            d1hi += carry(d1lo, p, sum);
            d1lo = sum;
            long d2 = h2 * r0;
            // h = d0 + d1 2^64 + d2 2^128
            h0 = d0lo;
            sum = d1lo + d0hi;
            d2 += d1hi + carry(d1lo, d0hi, sum);
            h1 = sum;
            // Fold what is above 2^130 back in times 5: (d2 >> 2) * 5 = (d2 >> 2) + (d2 & ~3).
            c = (d2 >>> 2) + (d2 & ~LOW2);
            h2 = d2 & LOW2;
            t0 = h0 + c;
            c = carry(h0, c, t0);
            h0 = t0;
            t1 = h1 + c;
            c = carry(h1, c, t1);
            h1 = t1;
            h2 += c;
        }
        this.h0 = h0;
        this.h1 = h1;
        this.h2 = h2;
    }

    /** Fully reduces h mod 2^130 - 5 (branch-free) and adds s: the tag, mod 2^128, in tagLo/tagHi. */
    void finish() {
        // g = h + 5; if g reaches 2^130, h >= p and h - p = g - 2^130 (whose low 128 bits are g0, g1).
        long g0 = h0 + 5;
        long c = carry(h0, 5, g0);
        long g1 = h1 + c;
        c = carry(h1, c, g1);
        long g2 = h2 + c;
        long takeG = -(g2 >>> 2);
        long w0 = (g0 & takeG) | (h0 & ~takeG);
        long w1 = (g1 & takeG) | (h1 & ~takeG);
        long t0 = w0 + pad0;
        tagLo = t0;
        tagHi = w1 + pad1 + carry(w0, pad0, t0);
    }

    /** The carry out of the unsigned sum {@code s = a + b}, as 0 or 1, without a branch. */
    private static long carry(long a, long b, long s) {
        return ((a & b) | ((a | b) & ~s)) >>> 63;
    }

    /** High 64 bits of the unsigned product of {@code a} and {@code b}, for {@code 0 <= b < 2^63}. */
    private static long mulHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b);
    }
}
