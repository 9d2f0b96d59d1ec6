package parley.core.crypto;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * ChaCha20's vector path: 8 blocks at once, block i of a group in lane i of 16 256-bit
 * {@link IntVector}s (one per state word), so each quarter round is the scalar one on 8 blocks
 * (AVX2: add, xor, and a rotate as two shifts and an or). The state lives word-major in an int[]
 * of 128 (L1); each quarter round loads its 4 vectors and stores them back ({@link #rounds} says
 * why), and each block is then XORed over the data 8 bytes at a time from it.
 *
 * <p>Only loaded when {@code jdk.incubator.vector} is in the boot layer ({@link ChaCha20} checks
 * first): this is the only class that names the incubating API. Allocation-free once C2 has
 * compiled it; the interpreter and C1 allocate vector boxes, so a cold JVM allocates here for its
 * first few thousand calls.
 */
final class ChaCha20Lanes {
    private static final VectorSpecies<Integer> S = IntVector.SPECIES_256;
    static final int LANES = 8;
    /** Bytes per group of 8 blocks. */
    static final int GROUP = LANES * ChaCha20.BLOCK;
    /** Ints in the word-major scratch: 16 words of 8 lanes. */
    static final int WORDS = 16 * LANES;
    /** The 8 quarter rounds of a double round (4 columns, 4 diagonals), as offsets of their words in the scratch. */
    private static final int[] QUARTERS = {
        0, 32, 64, 96, 8, 40, 72, 104, 16, 48, 80, 112, 24, 56, 88, 120,
        0, 40, 80, 120, 8, 48, 88, 96, 16, 56, 64, 104, 24, 32, 72, 112,
    };
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ChaCha20Lanes() {
    }

    /** True when 256-bit int vectors are native here (AVX2 or better); otherwise the API would emulate them slowly. */
    static boolean usable() {
        return IntVector.SPECIES_PREFERRED.vectorBitSize() >= S.vectorBitSize();
    }

    /**
     * XORs the keystream over the whole 512-byte groups of {@code n} bytes (from block
     * {@code counter} on) and returns how many bytes it did: {@code n} rounded down to a group.
     * In place is fine: each 8 bytes are read before they are written.
     */
    static int xor(int[] key, byte[] nonce, int counter, byte[] in, int inPos, byte[] out, int outPos, int n,
                   int[] lanes) {
        final int n0 = (int) LE_INT.get(nonce, 0);
        final int n1 = (int) LE_INT.get(nonce, 4);
        final int n2 = (int) LE_INT.get(nonce, 8);
        int done = 0;
        for (; n - done >= GROUP; done += GROUP, counter += LANES) {
            rounds(key, n0, n1, n2, counter, lanes);
            int i = inPos + done;
            int o = outPos + done;
            // Each block: the rounds' output plus the input words (the feed-forward), XORed over the data.
            for (int b = 0; b < LANES; b++, i += ChaCha20.BLOCK, o += ChaCha20.BLOCK) {
                xor8(in, out, i, o, lanes[b] + ChaCha20.C0, lanes[LANES + b] + ChaCha20.C1);
                xor8(in, out, i + 8, o + 8, lanes[2 * LANES + b] + ChaCha20.C2, lanes[3 * LANES + b] + ChaCha20.C3);
                xor8(in, out, i + 16, o + 16, lanes[4 * LANES + b] + key[0], lanes[5 * LANES + b] + key[1]);
                xor8(in, out, i + 24, o + 24, lanes[6 * LANES + b] + key[2], lanes[7 * LANES + b] + key[3]);
                xor8(in, out, i + 32, o + 32, lanes[8 * LANES + b] + key[4], lanes[9 * LANES + b] + key[5]);
                xor8(in, out, i + 40, o + 40, lanes[10 * LANES + b] + key[6], lanes[11 * LANES + b] + key[7]);
                xor8(in, out, i + 48, o + 48, lanes[12 * LANES + b] + counter + b, lanes[13 * LANES + b] + n0);
                xor8(in, out, i + 56, o + 56, lanes[14 * LANES + b] + n1, lanes[15 * LANES + b] + n2);
            }
        }
        return done;
    }

    private static void xor8(byte[] in, byte[] out, int i, int o, int lo, int hi) {
        LE_LONG.set(out, o, (long) LE_LONG.get(in, i) ^ ChaCha20.pack(lo, hi));
    }

    /**
     * The 20 rounds on 8 blocks (counters {@code counter} to {@code counter + 7}), without the
     * feed-forward, into {@code lanes} word-major.
     *
     * <p>Shaped for C2 on JDK 17: each quarter round loads its 4 words' vectors from {@code lanes}
     * and stores them back (L1 traffic, cheap), so no vector lives across a loop back-edge or a
     * method boundary. Vectors kept in 16 locals across the round loop were boxed on the heap at
     * every iteration, and a whole double round written out exceeds C2's inlining node budget
     * (NodeCountInliningCutoff, not settable in a product JVM), past which the vector calls not
     * inlined allocate too.
     */
    private static void rounds(int[] key, int n0, int n1, int n2, int counter, int[] lanes) {
        fill(lanes, 0, ChaCha20.C0);
        fill(lanes, 1, ChaCha20.C1);
        fill(lanes, 2, ChaCha20.C2);
        fill(lanes, 3, ChaCha20.C3);
        for (int w = 0; w < 8; w++) {
            fill(lanes, 4 + w, key[w]);
        }
        for (int b = 0; b < LANES; b++) {
            lanes[12 * LANES + b] = counter + b;
        }
        fill(lanes, 13, n0);
        fill(lanes, 14, n1);
        fill(lanes, 15, n2);
        for (int i = 0; i < 10; i++) {
            for (int q = 0; q < QUARTERS.length; q += 4) {
                quarter(lanes, QUARTERS[q], QUARTERS[q + 1], QUARTERS[q + 2], QUARTERS[q + 3]);
            }
        }
    }

    private static void fill(int[] lanes, int word, int v) {
        for (int b = 0; b < LANES; b++) {
            lanes[word * LANES + b] = v;
        }
    }

    /** One quarter round on 8 lanes; the arguments are the offsets of its 4 words' vectors in {@code s}. */
    private static void quarter(int[] s, int a, int b, int c, int d) {
        IntVector va = IntVector.fromArray(S, s, a);
        IntVector vb = IntVector.fromArray(S, s, b);
        IntVector vc = IntVector.fromArray(S, s, c);
        IntVector vd = IntVector.fromArray(S, s, d);
        va = va.add(vb);
        vd = rol(vd.lanewise(VectorOperators.XOR, va), 16);
        vc = vc.add(vd);
        vb = rol(vb.lanewise(VectorOperators.XOR, vc), 12);
        va = va.add(vb);
        vd = rol(vd.lanewise(VectorOperators.XOR, va), 8);
        vc = vc.add(vd);
        vb = rol(vb.lanewise(VectorOperators.XOR, vc), 7);
        va.intoArray(s, a);
        vb.intoArray(s, b);
        vc.intoArray(s, c);
        vd.intoArray(s, d);
    }

    /**
     * Rotates each lane left. Two shifts and an or: on JDK 17 {@code lanewise(ROL, n)} inlines into so
     * many nodes that C2 stops inlining this method halfway (NodeCountInliningCutoff), and every vector
     * not inlined is a heap object.
     */
    private static IntVector rol(IntVector v, int bits) {
        return v.lanewise(VectorOperators.LSHL, bits).or(v.lanewise(VectorOperators.LSHR, Integer.SIZE - bits));
    }
}
