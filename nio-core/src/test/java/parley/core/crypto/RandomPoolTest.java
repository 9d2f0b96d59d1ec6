package parley.core.crypto;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RandomPool}: bytes come from the source in bulk, each one handed out once and in order,
 * a slice that no longer fits is never served (the refill overwrites it), and a taken slice does
 * not stay behind in the pool.
 */
class RandomPoolTest {
    /** A source that counts its calls and yields 1, 2, 3, ... (mod 256), never 0. */
    private static final class CountingSource extends SecureRandom {
        int calls;
        int counter;
        final ByteArrayOutputStream given = new ByteArrayOutputStream();

        @Override
        public void nextBytes(byte[] bytes) {
            calls++;
            for (int i = 0; i < bytes.length; i++) {
                counter = counter % 255 + 1;
                bytes[i] = (byte) counter;
            }
            given.write(bytes, 0, bytes.length);
        }
    }

    @Test
    void slicesFollowTheSourceInOrderAndTheSourceIsDrawnOncePerPool() {
        CountingSource source = new CountingSource();
        RandomPool pool = new RandomPool(source, 96);
        ByteArrayOutputStream taken = new ByteArrayOutputStream();
        byte[] key = new byte[32];
        for (int i = 0; i < 6; i++) {
            pool.take(key, 0, key.length);
            taken.write(key, 0, key.length);
        }
        assertThat(source.calls).isEqualTo(2);
        assertThat(pool.refills()).isEqualTo(2);
        assertThat(taken.toByteArray()).isEqualTo(source.given.toByteArray());
    }

    @Test
    void aTailTooShortForASliceIsSkippedNeverServed() {
        CountingSource source = new CountingSource();
        RandomPool pool = new RandomPool(source, 80); // two slices of 32, then 16 bytes left over
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        byte[] c = new byte[32];
        pool.take(a, 0, 32);
        pool.take(b, 0, 32);
        pool.take(c, 0, 32);
        byte[] all = source.given.toByteArray();
        assertThat(all).hasSize(160);
        assertThat(c).isEqualTo(Arrays.copyOfRange(all, 80, 112)); // from the second draw, not the tail
        assertThat(c).isNotEqualTo(Arrays.copyOfRange(all, 64, 96));
    }

    @Test
    void noTwoSlicesAreEqualAndTakenBytesAreWipedFromThePool() throws Exception {
        RandomPool pool = new RandomPool(new SecureRandom(), 4096);
        java.util.Set<String> seen = new java.util.HashSet<>();
        byte[] key = new byte[32];
        for (int i = 0; i < 1000; i++) {
            pool.take(key, 0, key.length);
            assertThat(seen.add(Arrays.toString(key))).as("slice %d is new", i).isTrue();
        }
        java.lang.reflect.Field f = RandomPool.class.getDeclaredField("pool");
        f.setAccessible(true);
        byte[] inside = (byte[]) f.get(pool);
        int used = (1000 * 32) % (4096 / 32 * 32);
        assertThat(Arrays.copyOfRange(inside, 0, used)).containsOnly((byte) 0);
    }

    @Test
    void aSliceLargerThanThePoolIsRefused() {
        RandomPool pool = new RandomPool(new CountingSource(), 16);
        assertThatThrownBy(() -> pool.take(new byte[32], 0, 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStrongSourceIsADrbg() {
        assertThat(RandomPool.strongSource().getAlgorithm()).isEqualTo("DRBG");
    }
}
