package parley.core.crypto;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Our allocation-free AEAD must produce exactly what the JDK's ChaCha20-Poly1305 produces. */
class ChaCha20Poly1305Test {
    private static final byte CANARY = (byte) 0xA5;

    @Property(tries = 300)
    void matchesTheJdkAndOpensWhatItSeals(@ForAll long seed, @ForAll @IntRange(min = 0, max = 1300) int length,
                                         @ForAll @IntRange(min = 0, max = 40) int aadLength) throws Exception {
        Random rnd = new Random(seed);
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        byte[] aad = new byte[aadLength];
        byte[] plain = new byte[length];
        rnd.nextBytes(key);
        rnd.nextBytes(nonce);
        rnd.nextBytes(aad);
        rnd.nextBytes(plain);
        Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        jdk.updateAAD(aad);
        byte[] expected = jdk.doFinal(plain);

        ChaCha20Poly1305 ours = new ChaCha20Poly1305(key);
        ByteBuffer out = ByteBuffer.allocate(length + 16);
        ours.seal(nonce, ByteBuffer.wrap(aad), ByteBuffer.wrap(plain), out);
        assertThat(out.array()).isEqualTo(expected);

        ByteBuffer opened = ByteBuffer.allocate(length);
        assertThat(ours.open(nonce, ByteBuffer.wrap(aad), ByteBuffer.wrap(expected), opened)).isTrue();
        assertThat(opened.array()).isEqualTo(plain);

        byte[] tampered = expected.clone();
        tampered[rnd.nextInt(tampered.length)] ^= (byte) (1 << rnd.nextInt(8));
        assertThat(ours.open(nonce, ByteBuffer.wrap(aad), ByteBuffer.wrap(tampered), ByteBuffer.allocate(length))).isFalse();
    }

    @Test
    void rfc8439Section282AeadVector() {
        byte[] key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = hex("070000004041424344454647");
        byte[] aad = hex("50515253c0c1c2c3c4c5c6c7");
        byte[] plain = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future,"
                + " sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        byte[] expected = hex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                + "3ff4def08e4b7a9de576d26586cec64b6116"
                + "1ae10b594f09e26a7e902ecbd0600691");
        ChaCha20Poly1305 aead = new ChaCha20Poly1305(key);
        ByteBuffer out = ByteBuffer.allocate(plain.length + 16);
        aead.seal(nonce, ByteBuffer.wrap(aad), ByteBuffer.wrap(plain), out);
        assertThat(out.array()).isEqualTo(expected);
        ByteBuffer opened = ByteBuffer.allocate(plain.length);
        assertThat(aead.open(nonce, ByteBuffer.wrap(aad), ByteBuffer.wrap(expected), opened)).isTrue();
        assertThat(opened.array()).isEqualTo(plain);
    }

    /** Every length up to 300 (all tail sizes of ChaCha20's 64 and Poly1305's 16), several aad lengths each. */
    @Test
    void everyLengthUpTo300MatchesTheJdk() throws Exception {
        Random rnd = new Random(300);
        for (int length = 0; length <= 300; length++) {
            for (int aadLength : new int[] {0, length % 17, 16 + length % 23}) {
                roundTripAgainstJdk(rnd, length, aadLength, 0, 0);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 191, 192, 193,
            1163, 1164, 1165, 1199, 1200, 4096, 4097})
    void blockBoundariesMatchTheJdk(int length) throws Exception {
        Random rnd = new Random(length);
        for (int aadLength : new int[] {0, 1, 12, 15, 16, 17, 20, 31, 32, 33, 64, 65}) {
            roundTripAgainstJdk(rnd, length, aadLength, 0, 0);
            roundTripAgainstJdk(rnd, length, aadLength, 3, 0);
            roundTripAgainstJdk(rnd, length, aadLength, 0, 7);
            roundTripAgainstJdk(rnd, length, aadLength, 13, 5);
        }
    }

    /** Non-zero array offsets (sliced buffers) and non-zero positions, with canaries around every region. */
    @Test
    void nonZeroOffsetsAndPositionsTouchOnlyTheirRegion() throws Exception {
        Random rnd = new Random(42);
        for (int length : new int[] {0, 1, 7, 8, 9, 63, 64, 65, 100, 127, 128, 129, 300, 1163, 1164, 1165}) {
            for (int offset : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 61}) {
                roundTripAgainstJdk(rnd, length, 1 + offset % 21, offset, offset * 3 % 11);
            }
        }
    }

    @Test
    void sealsAndOpensInPlace() throws Exception {
        Random rnd = new Random(7);
        for (int length : new int[] {0, 1, 63, 64, 65, 129, 300, 1164}) {
            byte[] key = random(rnd, 32);
            byte[] nonce = random(rnd, 12);
            byte[] aad = random(rnd, 9);
            byte[] plain = random(rnd, length);
            byte[] expected = jdkSeal(key, nonce, aad, plain);
            ChaCha20Poly1305 aead = new ChaCha20Poly1305(key);

            byte[] buf = new byte[5 + length + 16];
            System.arraycopy(plain, 0, buf, 5, length);
            ByteBuffer region = ByteBuffer.wrap(buf, 5, length + 16);
            ByteBuffer in = region.duplicate().limit(5 + length);
            aead.seal(nonce, ByteBuffer.wrap(aad), in, region);
            assertThat(Arrays.copyOfRange(buf, 5, buf.length)).isEqualTo(expected);

            ByteBuffer sealed = ByteBuffer.wrap(buf, 5, length + 16);
            ByteBuffer out = ByteBuffer.wrap(buf, 5, length);
            assertThat(aead.open(nonce, ByteBuffer.wrap(aad), sealed, out)).isTrue();
            assertThat(Arrays.copyOfRange(buf, 5, 5 + length)).isEqualTo(plain);
        }
    }

    @Test
    void rejectsEveryTamperedTagByteCiphertextByteAadByteAndNonceAndWritesNothing() throws Exception {
        Random rnd = new Random(99);
        for (int length : new int[] {0, 1, 64, 65, 1164}) {
            byte[] key = random(rnd, 32);
            byte[] nonce = random(rnd, 12);
            byte[] aad = random(rnd, 20);
            byte[] plain = random(rnd, length);
            byte[] sealed = jdkSeal(key, nonce, aad, plain);
            ChaCha20Poly1305 aead = new ChaCha20Poly1305(key);

            for (int i = 0; i < sealed.length; i++) {
                byte[] bad = sealed.clone();
                bad[i] ^= (byte) (1 << (i & 7));
                assertRejected(aead, nonce, aad, bad, length);
            }
            for (int i = 0; i < aad.length; i++) {
                byte[] badAad = aad.clone();
                badAad[i] ^= 0x01;
                assertRejected(aead, nonce, badAad, sealed, length);
            }
            assertRejected(aead, nonce, Arrays.copyOf(aad, aad.length - 1), sealed, length);
            assertRejected(aead, nonce, Arrays.copyOf(aad, aad.length + 1), sealed, length);
            for (int i = 0; i < 12; i++) {
                byte[] badNonce = nonce.clone();
                badNonce[i] ^= (byte) 0x80;
                assertRejected(aead, badNonce, aad, sealed, length);
            }
            // A different key, and a truncated packet.
            assertRejected(new ChaCha20Poly1305(random(rnd, 32)), nonce, aad, sealed, length);
            if (length > 0) {
                assertRejected(aead, nonce, aad, Arrays.copyOf(sealed, sealed.length - 1), length - 1);
            }
            // The untampered one still opens, with the same instance after all those failures.
            ByteBuffer out = ByteBuffer.allocate(length);
            assertThat(aead.open(nonce, ByteBuffer.wrap(aad), ByteBuffer.wrap(sealed), out)).isTrue();
            assertThat(out.array()).isEqualTo(plain);
        }
    }

    @Test
    void tooShortInputsAndOutputs() {
        ChaCha20Poly1305 aead = new ChaCha20Poly1305(new byte[32]);
        byte[] nonce = new byte[12];
        ByteBuffer aad = ByteBuffer.allocate(4);
        // Shorter than a tag: not authentic.
        assertThat(aead.open(nonce, aad, ByteBuffer.allocate(15), ByteBuffer.allocate(100))).isFalse();
        // Output too small to open into: refused, nothing consumed.
        ByteBuffer sealed = ByteBuffer.allocate(16 + 10);
        aead.seal(nonce, aad, ByteBuffer.allocate(10), sealed);
        sealed.flip();
        aad.clear();
        ByteBuffer small = ByteBuffer.allocate(9);
        assertThat(aead.open(nonce, aad, sealed, small)).isFalse();
        assertThat(sealed.position()).isZero();
        assertThat(small.position()).isZero();
        // Output too small to seal into: thrown before anything is written or consumed.
        ByteBuffer plain = ByteBuffer.allocate(10);
        ByteBuffer out = ByteBuffer.allocate(25);
        assertThatThrownBy(() -> aead.seal(nonce, aad, plain, out)).isInstanceOf(IllegalArgumentException.class);
        assertThat(plain.position()).isZero();
        assertThat(out.position()).isZero();
        assertThat(out.array()).containsOnly(0);
    }

    @Test
    void keyMustBe32Bytes() {
        assertThatThrownBy(() -> new ChaCha20Poly1305(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChaCha20Poly1305(new byte[33])).isInstanceOf(IllegalArgumentException.class);
    }

    /** After warm-up, sealing and opening (good and bad tags) allocate nothing on this thread. */
    @Test
    void allocatesNothingOnAnyPath() {
        ChaCha20Poly1305 aead = new ChaCha20Poly1305(random(new Random(1), 32));
        byte[] nonce = new byte[12];
        ByteBuffer aad = ByteBuffer.allocate(20);
        ByteBuffer plain = ByteBuffer.allocate(1164);
        ByteBuffer sealed = ByteBuffer.allocate(1200);
        ByteBuffer opened = ByteBuffer.allocate(1200);
        int[] sizes = {0, 1, 64, 100, 1164};
        Runnable round = () -> {
            for (int size : sizes) {
                aad.clear();
                plain.clear().limit(size);
                sealed.clear();
                aead.seal(nonce, aad, plain, sealed);
                sealed.flip();
                aad.clear();
                opened.clear();
                if (!aead.open(nonce, aad, sealed, opened)) {
                    throw new AssertionError("did not open");
                }
                sealed.rewind();
                sealed.array()[0] ^= 1;
                aad.clear();
                opened.clear();
                if (aead.open(nonce, aad, sealed, opened)) {
                    throw new AssertionError("opened a tampered packet");
                }
                nonce[0]++;
            }
        };
        long allocated = ThreadAllocation.ofRounds(round, 2_000, 2_000);
        // A little slack for the measurement itself; 10,000 seals would allocate far more per byte.
        assertThat(allocated).isLessThan(10_000);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /**
     * Seals with ours and compares with the JDK, then opens; every buffer sits at a non-zero array
     * offset ({@code offset}, via slice) and position ({@code position}), between canary bytes that
     * must survive.
     */
    private static void roundTripAgainstJdk(Random rnd, int length, int aadLength, int offset, int position)
            throws Exception {
        byte[] key = random(rnd, 32);
        byte[] nonce = random(rnd, 12);
        byte[] aad = random(rnd, aadLength);
        byte[] plain = random(rnd, length);
        byte[] expected = jdkSeal(key, nonce, aad, plain);
        ChaCha20Poly1305 aead = new ChaCha20Poly1305(key);

        ByteBuffer aadBuf = placed(aad, offset, position);
        ByteBuffer plainBuf = placed(plain, offset, position);
        byte[] outArray = new byte[offset + position + expected.length + 9];
        Arrays.fill(outArray, CANARY);
        ByteBuffer out = ByteBuffer.wrap(outArray, offset, outArray.length - offset).slice().position(position);
        aead.seal(nonce, aadBuf, plainBuf, out);
        assertThat(out.position()).isEqualTo(position + expected.length);
        assertThat(plainBuf.position()).isEqualTo(plainBuf.limit());
        assertThat(aadBuf.position()).isEqualTo(aadBuf.limit());
        int start = offset + position;
        assertThat(Arrays.copyOfRange(outArray, start, start + expected.length)).as("length %d aad %d", length, aadLength)
                .isEqualTo(expected);
        assertCanaries(outArray, start, expected.length);

        ByteBuffer sealedBuf = placed(expected, offset, position);
        aadBuf = placed(aad, offset, position);
        byte[] openArray = new byte[offset + position + length + 9];
        Arrays.fill(openArray, CANARY);
        ByteBuffer opened = ByteBuffer.wrap(openArray, offset, openArray.length - offset).slice().position(position);
        assertThat(aead.open(nonce, aadBuf, sealedBuf, opened)).isTrue();
        assertThat(opened.position()).isEqualTo(position + length);
        assertThat(sealedBuf.position()).isEqualTo(sealedBuf.limit());
        assertThat(aadBuf.position()).isEqualTo(aadBuf.limit());
        assertThat(Arrays.copyOfRange(openArray, start, start + length)).isEqualTo(plain);
        assertCanaries(openArray, start, length);
    }

    /** {@code content} inside a larger array, behind {@code offset} bytes of array offset and {@code position}. */
    private static ByteBuffer placed(byte[] content, int offset, int position) {
        byte[] backing = new byte[offset + position + content.length + 5];
        Arrays.fill(backing, CANARY);
        System.arraycopy(content, 0, backing, offset + position, content.length);
        ByteBuffer slice = ByteBuffer.wrap(backing, offset, backing.length - offset).slice();
        return slice.position(position).limit(position + content.length);
    }

    private static void assertRejected(ChaCha20Poly1305 aead, byte[] nonce, byte[] aad, byte[] sealed, int length) {
        byte[] outArray = new byte[length + 8];
        Arrays.fill(outArray, CANARY);
        ByteBuffer out = ByteBuffer.wrap(outArray, 3, length);
        ByteBuffer sealedBuf = ByteBuffer.wrap(sealed);
        ByteBuffer aadBuf = ByteBuffer.wrap(aad);
        assertThat(aead.open(nonce, aadBuf, sealedBuf, out)).isFalse();
        assertThat(outArray).containsOnly(CANARY);
        assertThat(out.position()).isEqualTo(3);
        assertThat(sealedBuf.position()).isZero();
        assertThat(aadBuf.position()).isZero();
    }

    private static void assertCanaries(byte[] array, int start, int length) {
        for (int i = 0; i < array.length; i++) {
            if (i < start || i >= start + length) {
                assertThat(array[i]).as("byte %d outside [%d, %d)", i, start, start + length).isEqualTo(CANARY);
            }
        }
    }

    private static byte[] jdkSeal(byte[] key, byte[] nonce, byte[] aad, byte[] plain) throws Exception {
        Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        jdk.updateAAD(aad);
        return jdk.doFinal(plain);
    }

    private static byte[] random(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
