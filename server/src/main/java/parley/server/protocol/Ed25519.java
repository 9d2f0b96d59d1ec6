package parley.server.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Ed25519 (RFC 8032) with raw 32-byte keys, over the JDK's EdDSA: the JDK wants X.509 and PKCS#8
 * encodings, which for Ed25519 are a fixed prefix and the raw key, so conversion is a copy. The
 * registry verifies identity bundles with it and the peer signs with it; both run it off their
 * loops (it is hashing and curve arithmetic).
 */
public final class Ed25519 {
    public static final int KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private static final byte[] PKCS8_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
        0x04, 0x22, 0x04, 0x20};

    private Ed25519() {
    }

    /** A raw key pair: the 32-byte private seed and the 32-byte public key. */
    public record RawPair(byte[] seed, byte[] publicKey) {
    }

    /** A new key pair from {@code random}. */
    public static RawPair generate(SecureRandom random) {
        byte[] seed = new byte[KEY_BYTES];
        random.nextBytes(seed);
        return new RawPair(seed, publicOf(seed));
    }

    /**
     * The public key of a 32-byte private seed. The JDK has no direct call for it, so a generator
     * is fed the seed as its "random" bytes: SunEC's EdDSA generator takes exactly 32 of them.
     */
    public static byte[] publicOf(byte[] seed) {
        if (seed.length != KEY_BYTES) {
            throw new IllegalArgumentException("an Ed25519 private key is 32 bytes");
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new FixedRandom(seed));
            KeyPair p = g.generateKeyPair();
            byte[] encoded = p.getPublic().getEncoded();
            return Arrays.copyOfRange(encoded, encoded.length - KEY_BYTES, encoded.length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required by every JDK since 15", e);
        }
    }

    /** The 64-byte signature of {@code message} by {@code seed} (deterministic, RFC 8032). */
    public static byte[] sign(byte[] seed, byte[] message) {
        try {
            byte[] encoded = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + KEY_BYTES);
            System.arraycopy(seed, 0, encoded, PKCS8_PREFIX.length, KEY_BYTES);
            PrivateKey k = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(encoded));
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(k);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this Ed25519 key: " + e.getMessage(), e);
        }
    }

    /** True when {@code signature} is a valid signature of {@code message} by {@code publicKey}; never throws. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || publicKey.length != KEY_BYTES || signature == null || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + KEY_BYTES);
            System.arraycopy(publicKey, 0, encoded, X509_PREFIX.length, KEY_BYTES);
            PublicKey k = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(k);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a key that is not a curve point, say: hostile input, not a crash
        }
    }

    /** Hands out a fixed seed as its random bytes; only for {@link #publicOf}. */
    private static final class FixedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        FixedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("the Ed25519 generator asked for " + bytes.length + " bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
