package parley.core.crypto;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Our allocation-free AEAD must produce exactly what the JDK's ChaCha20-Poly1305 produces. */
class ChaCha20Poly1305Test {
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
}
