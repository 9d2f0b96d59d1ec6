package parley.core.crypto;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Random bytes drawn from a {@link SecureRandom} in bulk and handed out in slices, for HPKE's
 * ephemeral keys. Why: the JDK's default {@code NativePRNG} allocates about 112 bytes per
 * {@code nextBytes} call (and about 3 bytes per byte asked for, so a bigger request does not
 * help), while a {@code DRBG} allocates a constant ~260 bytes per call whatever its length. One
 * DRBG call for {@link #DEFAULT_BYTES} serves 2,048 ephemeral keys, so a seal allocates nothing in
 * steady state (about 0.1 byte per seal, amortised).
 *
 * <p>Security: every byte is handed out once. A slice is zeroed in the pool as it is taken, the
 * pool only moves forward, and what is left at the end when a slice no longer fits is overwritten
 * by the next refill, never served. Holding future keys in memory reveals no more than the DRBG's
 * own state, which lives in the same process and determines all of its future output. Not
 * thread-safe: one per thread, like {@link Hpke}.
 */
public final class RandomPool {
    /** The most one Hash_DRBG request gives (SP 800-90A: 2^19 bits): 2,048 keys of 32 bytes. */
    public static final int DEFAULT_BYTES = 1 << 16;
    /** DRBG strength asked for: X25519 keys carry about 128 bits, so 256 leaves margin. */
    private static final int STRENGTH_BITS = 256;

    private final SecureRandom source;
    private final byte[] pool;
    /** The first byte not handed out yet; {@code pool.length} when the pool is empty. */
    private int next;
    private long refills;

    /** A pool of {@link #DEFAULT_BYTES} over a fresh, self-seeded {@link #strongSource()}. */
    public RandomPool() {
        this(strongSource(), DEFAULT_BYTES);
    }

    /** A pool of {@code bytes} over {@code source}; it is drawn from only when the pool runs out. */
    public RandomPool(SecureRandom source, int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a random pool needs room: " + bytes);
        }
        this.source = source;
        this.pool = new byte[bytes];
        this.next = bytes;
    }

    /**
     * A Hash_DRBG (SHA-256, 256-bit strength) seeded by the JDK from the system's entropy source;
     * the platform default if that is unavailable (then bulk draws still work, with allocation).
     */
    public static SecureRandom strongSource() {
        try {
            return SecureRandom.getInstance("DRBG",
                    DrbgParameters.instantiation(STRENGTH_BITS, DrbgParameters.Capability.NONE, null));
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /** Fills {@code out[offset, offset + length)} with bytes no one else gets. */
    public void take(byte[] out, int offset, int length) {
        if (length > pool.length) {
            throw new IllegalArgumentException(length + " random bytes asked of a pool of " + pool.length);
        }
        if (pool.length - next < length) {
            refill();
        }
        System.arraycopy(pool, next, out, offset, length);
        Arrays.fill(pool, next, next + length, (byte) 0);
        next += length;
    }

    /** Draws from the source so far (for tests and benchmarks: how rarely that happens). */
    public long refills() {
        return refills;
    }

    private void refill() {
        source.nextBytes(pool);
        next = 0;
        refills++;
    }
}
