package parley.core.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The ChaCha20 stream cipher (RFC 8439 section 2.4) for {@link ChaCha20Poly1305}: XORs the keystream
 * over a region, in place or not, allocating nothing.
 *
 * <p>Two paths, chosen once per instance: with the incubating Vector API present at run time
 * ({@code --add-modules jdk.incubator.vector}, which the launcher, surefire and JMH pass) and
 * 256-bit vectors in the CPU, whole groups of 8 blocks (512 bytes) go through {@link ChaCha20Lanes}
 * (8 blocks side by side, one per lane) and only the rest (under 512 bytes) through the scalar
 * rounds here. Without it, everything is scalar: 20 rounds on 16 local ints (in registers, not an
 * int[]), each whole 64-byte block XORed 8 bytes at a time through a little-endian long
 * {@link VarHandle} view of the byte[]; near what 4 integer ALUs allow (about 4.6 cycles a byte).
 * Not thread-safe: one per direction.
 */
final class ChaCha20 {
    static final int BLOCK = 64;
    static final int C0 = 0x61707865;
    static final int C1 = 0x3320646e;
    static final int C2 = 0x79622d32;
    static final int C3 = 0x6b206574;
    /** System property that turns the vector path off ("false"): for comparisons and as an escape hatch. */
    static final String VECTOR_PROPERTY = "parley.chacha20.vector";
    /** Whether new instances use the vector path: decided once, when this class is initialised. */
    static final boolean VECTOR_AVAILABLE = vectorAvailable();
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final boolean vector;
    /** The key as words, for the vector path. */
    private final int[] keyWords = new int[8];
    /** The vector path's 8 blocks, word-major: word w of lane b at {@code 8 * w + b}. */
    private final int[] lanes;
    private int key0;
    private int key1;
    private int key2;
    private int key3;
    private int key4;
    private int key5;
    private int key6;
    private int key7;
    /** The keystream of a last partial block. */
    private final byte[] keystream = new byte[BLOCK];

    /** {@code vector} true needs {@link #VECTOR_AVAILABLE}. */
    ChaCha20(boolean vector) {
        if (vector && !VECTOR_AVAILABLE) {
            throw new IllegalStateException("the Vector API (jdk.incubator.vector) is not available");
        }
        this.vector = vector;
        this.lanes = vector ? new int[ChaCha20Lanes.WORDS] : null;
    }

    private static boolean vectorAvailable() {
        if ("false".equals(System.getProperty(VECTOR_PROPERTY))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return ChaCha20Lanes.usable();
        } catch (LinkageError e) {
            return false;
        }
    }

    boolean vector() {
        return vector;
    }

    void rekey(byte[] key32) {
        if (key32.length != 32) {
            throw new IllegalArgumentException("ChaCha20 key is 32 bytes");
        }
        for (int i = 0; i < 8; i++) {
            keyWords[i] = (int) LE_INT.get(key32, 4 * i);
        }
        key0 = keyWords[0];
        key1 = keyWords[1];
        key2 = keyWords[2];
        key3 = keyWords[3];
        key4 = keyWords[4];
        key5 = keyWords[5];
        key6 = keyWords[6];
        key7 = keyWords[7];
    }

    /**
     * XORs the keystream (this key, {@code nonce}, blocks from {@code counter} on) over {@code n}
     * bytes of {@code in} into {@code out}. Reads each 8 bytes before writing them, so {@code in}
     * and {@code out} may be the same region.
     */
    void xor(byte[] nonce, int counter, byte[] in, int inPos, byte[] out, int outPos, int n) {
        int done = 0;
        if (vector && n >= ChaCha20Lanes.GROUP) {
            done = ChaCha20Lanes.xor(keyWords, nonce, counter, in, inPos, out, outPos, n, lanes);
        }
        if (done < n) {
            scalar(nonce, counter + done / BLOCK, in, inPos + done, out, outPos + done, n - done);
        }
    }

    /** The scalar path: whole blocks 8 bytes at a time straight from the state words. */
    private void scalar(byte[] nonce, int counter, byte[] in, int inPos, byte[] out, int outPos, int n) {
        final int k0 = key0, k1 = key1, k2 = key2, k3 = key3, k4 = key4, k5 = key5, k6 = key6, k7 = key7;
        final int n0 = (int) LE_INT.get(nonce, 0);
        final int n1 = (int) LE_INT.get(nonce, 4);
        final int n2 = (int) LE_INT.get(nonce, 8);
        for (int done = 0; done < n; done += BLOCK, counter++) {
            int x0 = C0, x1 = C1, x2 = C2, x3 = C3;
            int x4 = k0, x5 = k1, x6 = k2, x7 = k3;
            int x8 = k4, x9 = k5, x10 = k6, x11 = k7;
            int x12 = counter, x13 = n0, x14 = n1, x15 = n2;
            for (int i = 0; i < 10; i++) {
                // Column round.
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
                // Diagonal round.
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
            }
            x0 += C0; x1 += C1; x2 += C2; x3 += C3;
            x4 += k0; x5 += k1; x6 += k2; x7 += k3;
            x8 += k4; x9 += k5; x10 += k6; x11 += k7;
            x12 += counter; x13 += n0; x14 += n1; x15 += n2;
            int i = inPos + done;
            int o = outPos + done;
            if (n - done >= BLOCK) {
                LE_LONG.set(out, o, (long) LE_LONG.get(in, i) ^ pack(x0, x1));
                LE_LONG.set(out, o + 8, (long) LE_LONG.get(in, i + 8) ^ pack(x2, x3));
                LE_LONG.set(out, o + 16, (long) LE_LONG.get(in, i + 16) ^ pack(x4, x5));
                LE_LONG.set(out, o + 24, (long) LE_LONG.get(in, i + 24) ^ pack(x6, x7));
                LE_LONG.set(out, o + 32, (long) LE_LONG.get(in, i + 32) ^ pack(x8, x9));
                LE_LONG.set(out, o + 40, (long) LE_LONG.get(in, i + 40) ^ pack(x10, x11));
                LE_LONG.set(out, o + 48, (long) LE_LONG.get(in, i + 48) ^ pack(x12, x13));
                LE_LONG.set(out, o + 56, (long) LE_LONG.get(in, i + 56) ^ pack(x14, x15));
            } else {
                byte[] ks = keystream;
                LE_LONG.set(ks, 0, pack(x0, x1));
                LE_LONG.set(ks, 8, pack(x2, x3));
                LE_LONG.set(ks, 16, pack(x4, x5));
                LE_LONG.set(ks, 24, pack(x6, x7));
                LE_LONG.set(ks, 32, pack(x8, x9));
                LE_LONG.set(ks, 40, pack(x10, x11));
                LE_LONG.set(ks, 48, pack(x12, x13));
                LE_LONG.set(ks, 56, pack(x14, x15));
                xorTail(ks, in, i, out, o, n - done);
            }
        }
    }

    /** {@code out = in ^ ks} over {@code m < 64} bytes: 8 at a time, then byte by byte. */
    private static void xorTail(byte[] ks, byte[] in, int i, byte[] out, int o, int m) {
        int j = 0;
        for (; j + 8 <= m; j += 8) {
            LE_LONG.set(out, o + j, (long) LE_LONG.get(in, i + j) ^ (long) LE_LONG.get(ks, j));
        }
        for (; j < m; j++) {
            out[o + j] = (byte) (in[i + j] ^ ks[j]);
        }
    }

    static long pack(int lo, int hi) {
        return (lo & 0xffffffffL) | ((long) hi << 32);
    }
}
