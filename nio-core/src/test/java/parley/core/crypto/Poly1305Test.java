package parley.core.crypto;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Poly1305 in radix 2^64 against a BigInteger reference, on the inputs where limb arithmetic goes
 * wrong: all-ones blocks, h landing on or just past p = 2^130 - 5, r at its clamped maximum.
 */
class Poly1305Test {
    private static final BigInteger P = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));

    /** RFC 8439 A.3 vectors 5, 6, 8 and 9 (full 16-byte blocks): the reduction's edge cases. */
    @Test
    void rfc8439AppendixA3EdgeCases() {
        String zero16 = "00000000000000000000000000000000";
        String ff16 = "ffffffffffffffffffffffffffffffff";
        // 5: r = 2, s = 0, m = ff * 16.
        assertThat(tag("02" + zero16.substring(2) + zero16, ff16)).isEqualTo(hex("03" + zero16.substring(2)));
        // 6: r = 2, s = ff * 16, m = 02 00 ...
        assertThat(tag("02" + zero16.substring(2) + ff16, "02" + zero16.substring(2)))
                .isEqualTo(hex("03" + zero16.substring(2)));
        // 8: r = 1, s = 0, m = ff*16, fb fe*15, 01 01*15
        assertThat(tag("01" + zero16.substring(2) + zero16,
                ff16 + "fb" + "fe".repeat(15) + "01".repeat(16))).isEqualTo(hex(zero16));
        // 9: r = 2, s = 0, m = fd ff*15
        assertThat(tag("02" + zero16.substring(2) + zero16, "fd" + "ff".repeat(15)))
                .isEqualTo(hex("fa" + "ff".repeat(15)));
    }

    @Test
    void matchesTheBigIntegerReference() {
        Random rnd = new Random(1305);
        byte[][] patterns = {fill((byte) 0xff), fill((byte) 0), fill((byte) 0xfe), null};
        for (int i = 0; i < 4_000; i++) {
            byte[] key = new byte[32];
            rnd.nextBytes(key);
            if (i % 3 == 0) {
                Arrays.fill(key, 0, 16, (byte) 0xff); // r at its clamped maximum
            }
            if (i % 5 == 0) {
                Arrays.fill(key, 16, 32, (byte) 0xff);
            }
            int blocks = 1 + rnd.nextInt(40);
            byte[] m = new byte[16 * blocks];
            byte[] pattern = patterns[i % patterns.length];
            for (int b = 0; b < blocks; b++) {
                if (pattern == null || rnd.nextInt(4) == 0) {
                    byte[] block = new byte[16];
                    rnd.nextBytes(block);
                    System.arraycopy(block, 0, m, 16 * b, 16);
                } else {
                    System.arraycopy(pattern, 0, m, 16 * b, 16);
                }
            }
            Poly1305 p = new Poly1305();
            p.init(key, 0);
            // Two calls, to check that the state carries across them.
            int split = 16 * rnd.nextInt(blocks + 1);
            p.blocks(m, 0, split);
            p.blocks(m, split, m.length - split);
            p.finish();
            assertThat(new long[] {p.tagLo, p.tagHi}).as("case %d", i).isEqualTo(reference(key, m));
        }
    }

    private static byte[] tag(String keyHex, String messageHex) {
        Poly1305 p = new Poly1305();
        p.init(hex(keyHex), 0);
        byte[] m = hex(messageHex);
        p.blocks(m, 0, m.length);
        p.finish();
        byte[] t = new byte[16];
        for (int i = 0; i < 8; i++) {
            t[i] = (byte) (p.tagLo >>> (8 * i));
            t[8 + i] = (byte) (p.tagHi >>> (8 * i));
        }
        return t;
    }

    /** RFC 8439 2.5.1 with big integers: each 16-byte block plus 2^128, times r, mod p; plus s mod 2^128. */
    private static long[] reference(byte[] key, byte[] m) {
        byte[] rBytes = Arrays.copyOfRange(key, 0, 16);
        for (int i : new int[] {3, 7, 11, 15}) {
            rBytes[i] &= 15;
        }
        for (int i : new int[] {4, 8, 12}) {
            rBytes[i] &= (byte) 252;
        }
        BigInteger r = le(rBytes);
        BigInteger s = le(Arrays.copyOfRange(key, 16, 32));
        BigInteger h = BigInteger.ZERO;
        for (int at = 0; at < m.length; at += 16) {
            h = h.add(le(Arrays.copyOfRange(m, at, at + 16))).add(BigInteger.ONE.shiftLeft(128)).multiply(r).mod(P);
        }
        BigInteger t = h.add(s).mod(BigInteger.ONE.shiftLeft(128));
        return new long[] {t.longValue(), t.shiftRight(64).longValue()};
    }

    private static BigInteger le(byte[] b) {
        byte[] be = new byte[b.length + 1];
        for (int i = 0; i < b.length; i++) {
            be[b.length - i] = b[i];
        }
        return new BigInteger(be);
    }

    private static byte[] fill(byte v) {
        byte[] b = new byte[16];
        Arrays.fill(b, v);
        return b;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
