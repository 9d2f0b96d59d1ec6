package parley.core.crypto;

import org.junit.jupiter.api.Test;

import javax.crypto.KeyAgreement;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The allocation-free {@link X25519} against RFC 7748 (sections 5.2 and 6.1) and the JDK's XDH. */
class X25519Test {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static byte[] mult(X25519 x, byte[] k, byte[] u) {
        byte[] out = new byte[32];
        x.scalarMult(k, 0, u, 0, out, 0);
        return out;
    }

    @Test
    void matchesRfc7748Section52SingleVectors() {
        X25519 x = new X25519();
        assertThat(mult(x, hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")))
                .isEqualTo(hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"));
        // The u of this vector has its top bit set: it must be masked, not rejected.
        assertThat(mult(x, hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493")))
                .isEqualTo(hex("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"));
    }

    @Test
    void matchesRfc7748Section52IteratedVectors() {
        X25519 x = new X25519();
        byte[] k = new byte[32];
        byte[] u = new byte[32];
        byte[] r = new byte[32];
        k[0] = 9;
        u[0] = 9;
        for (int i = 1; i <= 1000; i++) {
            x.scalarMult(k, 0, u, 0, r, 0);
            System.arraycopy(k, 0, u, 0, 32);
            System.arraycopy(r, 0, k, 0, 32);
            if (i == 1) {
                assertThat(k).isEqualTo(hex("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"));
            }
        }
        assertThat(k).isEqualTo(hex("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"));
    }

    @Test
    void matchesRfc7748Section61DiffieHellman() {
        X25519 x = new X25519();
        byte[] alicePriv = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPriv = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] alicePub = new byte[32];
        byte[] bobPub = new byte[32];
        x.publicKey(alicePriv, 0, alicePub, 0);
        x.publicKey(bobPriv, 0, bobPub, 0);
        assertThat(alicePub).isEqualTo(hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
        assertThat(bobPub).isEqualTo(hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));
        byte[] shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assertThat(mult(x, alicePriv, bobPub)).isEqualTo(shared);
        assertThat(mult(x, bobPriv, alicePub)).isEqualTo(shared);
    }

    /** 300 random scalars and points (some with the top bit set, some non-canonical) against the JDK. */
    @Test
    void agreesWithTheJdkOnRandomKeys() throws Exception {
        X25519 x = new X25519();
        Random random = new Random(13);
        KeyFactory kf = KeyFactory.getInstance("X25519");
        KeyAgreement ka = KeyAgreement.getInstance("X25519");
        for (int n = 0; n < 300; n++) {
            byte[] k = new byte[32];
            byte[] u = new byte[32];
            random.nextBytes(k);
            random.nextBytes(u);
            if (n % 10 == 0) {
                // u in [p, 2^255): not canonical, reduced mod p by both.
                java.util.Arrays.fill(u, 1, 32, (byte) 0xff);
                u[31] = (byte) 0x7f;
                u[0] = (byte) (0xed + random.nextInt(0x12));
            }
            byte[] ours = new byte[32];
            boolean nonZero = x.scalarMult(k, 0, u, 0, ours, 0);
            ka.init(kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, k)));
            byte[] le = u.clone();
            le[31] &= 0x7f;
            byte[] be = new byte[33];
            for (int i = 0; i < 32; i++) {
                be[32 - i] = le[i];
            }
            PublicKey pub = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(be)));
            byte[] jdk;
            try {
                ka.doPhase(pub, true);
                jdk = ka.generateSecret();
            } catch (Exception smallOrder) {
                assertThat(nonZero).as("key %d: the JDK refused it as small order", n).isFalse();
                continue;
            }
            assertThat(nonZero).isTrue();
            assertThat(ours).as("key %d", n).isEqualTo(jdk);
        }
    }

    /** Points of small order, canonical and not, give the all-zero output that callers refuse (6.1). */
    @Test
    void lowOrderPointsGiveAllZero() {
        X25519 x = new X25519();
        String[] points = {
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        };
        byte[] k = new byte[32];
        new Random(1).nextBytes(k);
        for (String p : points) {
            byte[] out = new byte[32];
            out[5] = 1;
            boolean nonZero = x.scalarMult(k, 0, hex(p), 0, out, 0);
            assertThat(nonZero).as(p).isFalse();
            assertThat(out).as(p).isEqualTo(new byte[32]);
        }
        Hpke hpke = new Hpke();
        java.nio.ByteBuffer sealed = java.nio.ByteBuffer.allocate(Hpke.OVERHEAD);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> hpke.seal(hex(points[2]), null, new byte[0],
                java.nio.ByteBuffer.allocate(0), java.nio.ByteBuffer.allocate(0), sealed))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
