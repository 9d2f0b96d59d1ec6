package parley.core.crypto;

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
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ChaCha20's two paths (scalar, and 8 blocks at once with the Vector API) against RFC 8439's vectors
 * and against the JDK's cipher, at datagram sizes up to past the largest UDP datagram. Surefire
 * runs with {@code --add-modules jdk.incubator.vector}, so the vector path must be available here.
 */
class ChaCha20PathsTest {
    private static final boolean[] PATHS = {false, true};

    @Test
    void theVectorPathIsOnInTests() {
        assertThat(ChaCha20.VECTOR_AVAILABLE).as("surefire's argLine adds jdk.incubator.vector").isTrue();
        assertThat(new ChaCha20(true).vector()).isTrue();
        assertThat(new ChaCha20(false).vector()).isFalse();
    }

    /** RFC 8439 2.3.2: the block function, key 00..1f, nonce 00000009 0000004a 00000000, counter 1. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rfc8439Section232BlockInEveryLane(boolean vector) {
        byte[] key = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] nonce = hex("000000090000004a00000000");
        byte[] block = hex("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
                + "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
        ChaCha20 c = new ChaCha20(vector);
        c.rekey(key);
        // Counter 1 in lane k of a group that starts at 1 - k (lane 0 of a group at 1, lane 1 of one at 0).
        for (int lane = 0; lane <= 1; lane++) {
            byte[] out = keystream(c, nonce, 1 - lane, ChaCha20Lanes.GROUP);
            assertThat(Arrays.copyOfRange(out, 64 * lane, 64 * lane + 64)).as("lane %d", lane).isEqualTo(block);
        }
    }

    /** RFC 8439 A.1 vectors 1 and 2: all-zero key and nonce, counters 0 and 1 (lanes 0 and 1 of one group). */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rfc8439AppendixA1Keystream(boolean vector) {
        ChaCha20 c = new ChaCha20(vector);
        c.rekey(new byte[32]);
        byte[] out = keystream(c, new byte[12], 0, ChaCha20Lanes.GROUP);
        assertThat(Arrays.copyOfRange(out, 0, 64)).isEqualTo(hex(
                "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
                        + "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"));
        assertThat(Arrays.copyOfRange(out, 64, 128)).isEqualTo(hex(
                "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
                        + "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f"));
    }

    /** RFC 8439 2.8.2 (the AEAD vector) on both paths: 114 bytes, so the vector path's scalar tail. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rfc8439Section282AeadOnBothPaths(boolean vector) {
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
        ChaCha20Poly1305 aead = new ChaCha20Poly1305(key, vector);
        ByteBuffer out = ByteBuffer.allocate(plain.length + 16);
        aead.seal(nonce, ByteBuffer.wrap(aad), ByteBuffer.wrap(plain), out);
        assertThat(out.array()).isEqualTo(expected);
    }

    /** The two paths give the same keystream for every group count and tail, at any starting counter. */
    @Test
    void vectorKeystreamEqualsScalarKeystream() {
        Random rnd = new Random(8439);
        for (int n : new int[] {0, 1, 63, 64, 511, 512, 513, 575, 576, 1023, 1024, 1025, 4095, 4096, 4097, 65_507}) {
            byte[] key = random(rnd, 32);
            byte[] nonce = random(rnd, 12);
            int counter = rnd.nextBoolean() ? rnd.nextInt(1000) : -1 - rnd.nextInt(20); // and across the 2^32 wrap
            ChaCha20 scalar = new ChaCha20(false);
            ChaCha20 vector = new ChaCha20(true);
            scalar.rekey(key);
            vector.rekey(key);
            assertThat(keystream(vector, nonce, counter, n)).as("n %d counter %d", n, counter)
                    .isEqualTo(keystream(scalar, nonce, counter, n));
        }
    }

    /**
     * Random lengths from 0 to 70,000 (all of 0..1,100, every group boundary to 4 KiB, then random odd
     * and even ones), random aad, both paths: the same bytes as the JDK's cipher, and open gives the
     * plaintext back; every tenth in place (sealed over the plaintext, opened over the ciphertext).
     */
    @Test
    void matchesTheJdkUpTo70000BytesOnBothPaths() throws Exception {
        Random rnd = new Random(70_000);
        TreeSet<Integer> lengths = new TreeSet<>();
        for (int n = 0; n <= 1_100; n++) {
            lengths.add(n);
        }
        for (int g = 512; g <= 4096; g += 512) {
            lengths.add(g - 1);
            lengths.add(g);
            lengths.add(g + 1);
            lengths.add(g + 63);
        }
        lengths.add(65_000);
        lengths.add(65_507);
        lengths.add(70_000);
        while (lengths.size() < 1_101 + 32 + 3 + 120) {
            lengths.add(1_101 + rnd.nextInt(70_000 - 1_100));
        }
        int i = 0;
        for (int n : lengths) {
            byte[] key = random(rnd, 32);
            byte[] nonce = random(rnd, 12);
            byte[] aad = random(rnd, rnd.nextInt(40));
            byte[] plain = random(rnd, n);
            byte[] expected = jdkSeal(key, nonce, aad, plain);
            for (boolean vector : PATHS) {
                ChaCha20Poly1305 aead = new ChaCha20Poly1305(key, vector);
                if (i++ % 10 == 0) {
                    inPlace(aead, nonce, aad, plain, expected, vector);
                    continue;
                }
                ByteBuffer out = ByteBuffer.allocate(n + 16);
                aead.seal(nonce, ByteBuffer.wrap(aad), ByteBuffer.wrap(plain), out);
                assertThat(out.array()).as("length %d vector %s", n, vector).isEqualTo(expected);
                ByteBuffer opened = ByteBuffer.allocate(n);
                assertThat(aead.open(nonce, ByteBuffer.wrap(aad), ByteBuffer.wrap(expected), opened)).isTrue();
                assertThat(opened.array()).as("length %d vector %s", n, vector).isEqualTo(plain);
            }
        }
    }

    /** A tampered byte anywhere in a large datagram (in the vector path's groups) is refused. */
    @Test
    void aTamperedLargeDatagramIsRefusedOnBothPaths() throws Exception {
        Random rnd = new Random(65);
        byte[] key = random(rnd, 32);
        byte[] nonce = random(rnd, 12);
        byte[] aad = random(rnd, 20);
        byte[] plain = random(rnd, 65_000);
        byte[] sealed = jdkSeal(key, nonce, aad, plain);
        for (boolean vector : PATHS) {
            ChaCha20Poly1305 aead = new ChaCha20Poly1305(key, vector);
            for (int at : new int[] {0, 511, 512, 33_333, 64_999, 65_000, 65_015}) {
                byte[] bad = sealed.clone();
                bad[at] ^= 0x10;
                byte[] out = new byte[65_000];
                assertThat(aead.open(nonce, ByteBuffer.wrap(aad), ByteBuffer.wrap(bad), ByteBuffer.wrap(out))).isFalse();
                assertThat(out).containsOnly(0);
            }
        }
    }

    /** After warm-up, sealing and opening 65,000 bytes on the vector path allocate nothing. */
    @Test
    void theVectorPathAllocatesNothingOnceCompiled() {
        ChaCha20Poly1305 aead = new ChaCha20Poly1305(random(new Random(2), 32), true);
        byte[] nonce = new byte[12];
        ByteBuffer aad = ByteBuffer.allocate(20);
        ByteBuffer plain = ByteBuffer.allocate(65_000);
        ByteBuffer sealed = ByteBuffer.allocate(65_016);
        ByteBuffer opened = ByteBuffer.allocate(65_000);
        Runnable round = () -> {
            aad.clear();
            plain.clear();
            sealed.clear();
            aead.seal(nonce, aad, plain, sealed);
            sealed.flip();
            aad.clear();
            opened.clear();
            if (!aead.open(nonce, aad, sealed, opened)) {
                throw new AssertionError("did not open");
            }
            nonce[0]++;
        };
        long allocated = ThreadAllocation.ofRounds(round, 3_000, 500);
        // Boxed vectors would be 32+ bytes each, 16 per round and 127 groups per datagram: megabytes.
        assertThat(allocated).isLessThan(10_000);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** Seals over the plaintext in one array and opens over the ciphertext in the same array. */
    private static void inPlace(ChaCha20Poly1305 aead, byte[] nonce, byte[] aad, byte[] plain, byte[] expected,
                                boolean vector) {
        int n = plain.length;
        byte[] buf = new byte[3 + n + 16];
        System.arraycopy(plain, 0, buf, 3, n);
        ByteBuffer region = ByteBuffer.wrap(buf, 3, n + 16);
        aead.seal(nonce, ByteBuffer.wrap(aad), region.duplicate().limit(3 + n), region);
        assertThat(Arrays.copyOfRange(buf, 3, buf.length)).as("in place, length %d vector %s", n, vector)
                .isEqualTo(expected);
        assertThat(aead.open(nonce, ByteBuffer.wrap(aad), ByteBuffer.wrap(buf, 3, n + 16), ByteBuffer.wrap(buf, 3, n)))
                .isTrue();
        assertThat(Arrays.copyOfRange(buf, 3, 3 + n)).as("opened in place, length %d", n).isEqualTo(plain);
    }

    private static byte[] keystream(ChaCha20 c, byte[] nonce, int counter, int n) {
        byte[] out = new byte[n];
        c.xor(nonce, counter, new byte[n], 0, out, 0, n);
        return out;
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
