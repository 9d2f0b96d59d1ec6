package parley.core.crypto;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AesGcm}: what it seals opens again at every length, at offsets inside the buffers; a
 * changed byte anywhere (aad, ciphertext, tag) or another nonce fails and writes nothing; and
 * what it allocates per operation, which its class doc and PERFORMANCE.md state. (Byte-exact
 * agreement with an independent implementation: the {@code gcm_stream} vector, PeerVectorsTest.)
 */
class AesGcmTest {
    private static final Random RANDOM = new Random(15);

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @Test
    void whatItSealsOpensAtEveryLengthAndOffset() {
        byte[] key = random(32);
        AesGcm sealer = new AesGcm(key);
        AesGcm opener = new AesGcm(key);
        byte[] nonce = random(12);
        for (int n = 0; n < 300; n += 7) {
            nonce[11]++;
            byte[] aadBytes = random(20);
            byte[] plain = random(n);
            ByteBuffer out = ByteBuffer.allocate(n + 40).position(3);
            sealer.seal(nonce, ByteBuffer.wrap(aadBytes), ByteBuffer.wrap(plain), out);
            assertThat(out.position()).isEqualTo(3 + n + AesGcm.TAG_LENGTH);
            ByteBuffer sealed = ByteBuffer.wrap(out.array(), 3, n + AesGcm.TAG_LENGTH);
            ByteBuffer opened = ByteBuffer.allocate(n + 2).position(2);
            assertThat(opener.open(nonce, ByteBuffer.wrap(aadBytes), sealed, opened)).isTrue();
            assertThat(Arrays.copyOfRange(opened.array(), 2, 2 + n)).isEqualTo(plain);
            assertThat(opened.position()).isEqualTo(2 + n);
        }
    }

    @Test
    void anyChangedByteOrAnotherNonceFailsAndWritesNothing() {
        byte[] key = random(32);
        byte[] nonce = random(12);
        byte[] aad = random(20);
        byte[] plain = random(100);
        ByteBuffer sealed = ByteBuffer.allocate(116);
        new AesGcm(key).seal(nonce, ByteBuffer.wrap(aad), ByteBuffer.wrap(plain), sealed);
        AesGcm opener = new AesGcm(key);
        for (int i = 0; i < 116 + 20; i++) {
            byte[] a = aad.clone();
            byte[] c = sealed.array().clone();
            if (i < 116) {
                c[i] ^= 1;
            } else {
                a[i - 116] ^= 0x80;
            }
            ByteBuffer out = ByteBuffer.allocate(100);
            assertThat(opener.open(nonce, ByteBuffer.wrap(a), ByteBuffer.wrap(c), out)).as("byte %d", i).isFalse();
            assertThat(out.position()).isZero();
            assertThat(out.array()).isEqualTo(new byte[100]);
        }
        byte[] other = nonce.clone();
        other[0] ^= 1;
        assertThat(opener.open(other, ByteBuffer.wrap(aad), ByteBuffer.wrap(sealed.array()), ByteBuffer.allocate(100))).isFalse();
        assertThat(opener.open(nonce, ByteBuffer.wrap(aad), ByteBuffer.wrap(sealed.array(), 0, 15), ByteBuffer.allocate(100)))
                .as("shorter than a tag").isFalse();
        assertThat(opener.open(nonce, ByteBuffer.wrap(aad), ByteBuffer.wrap(sealed.array()), ByteBuffer.allocate(116)))
                .as("the right key still opens after failures").isTrue();
    }

    /**
     * Bytes allocated per seal and per open, after warm-up, at 1,164 and 65,000 bytes: bounded
     * and independent of the length (nothing copies the data), which is what lets big packets
     * use it while the chat path stays on the allocation-free ChaCha20-Poly1305. Prints the
     * figures; the bound is loose, the class doc has the measured numbers.
     */
    @Test
    void allocationPerOperationIsBoundedAndIndependentOfLength() {
        long[] small = allocation(1164);
        long[] big = allocation(65_000);
        System.out.printf("AesGcm allocation per op: seal %d / open %d B at 1,164 B; seal %d / open %d B at 65,000 B%n",
                small[0], small[1], big[0], big[1]);
        for (long[] a : new long[][] {small, big}) {
            assertThat(a[0]).isLessThan(4096);
            assertThat(a[1]).isLessThan(4096);
        }
        assertThat(big[0]).isLessThan(small[0] + 512);
        assertThat(big[1]).isLessThan(small[1] + 512);
    }

    private static long[] allocation(int size) {
        byte[] key = random(32);
        AesGcm s = new AesGcm(key);
        AesGcm o = new AesGcm(key);
        byte[] nonce = new byte[12];
        ByteBuffer aad = ByteBuffer.allocate(20);
        ByteBuffer plain = ByteBuffer.allocate(size);
        ByteBuffer sealed = ByteBuffer.allocate(size + 16);
        ByteBuffer opened = ByteBuffer.allocate(size);
        long sealBytes = 0;
        long openBytes = 0;
        int rounds = 2000;
        int measured = 500;
        for (int i = 0; i < rounds; i++) {
            nonce[0] = (byte) i;
            nonce[1] = (byte) (i >>> 8);
            aad.clear();
            plain.clear();
            sealed.clear();
            long a0 = ThreadAllocation.now();
            s.seal(nonce, aad, plain, sealed);
            long a1 = ThreadAllocation.now();
            sealed.flip();
            aad.clear();
            opened.clear();
            if (!o.open(nonce, aad, sealed, opened)) {
                throw new AssertionError("does not open");
            }
            long a2 = ThreadAllocation.now();
            if (i >= rounds - measured) {
                sealBytes += a1 - a0;
                openBytes += a2 - a1;
            }
        }
        return new long[] {sealBytes / measured, openBytes / measured};
    }
}
