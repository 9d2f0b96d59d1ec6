package parley.core.crypto;

import javax.crypto.KeyAgreement;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * An ephemeral X25519 key pair, made fresh for each peer session. Public keys travel as their
 * raw 32 bytes; the JDK wants X.509 encodings, which for X25519 are a fixed 12-byte prefix and
 * the raw key, so conversion is a copy.
 */
public final class X25519KeyPair {
    public static final int KEY_LENGTH = 32;
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};

    private final KeyPair pair;
    private final byte[] publicKey;
    /** The raw RFC 7748 private key, for {@link Hpke}'s allocation-free {@link X25519}. */
    private final byte[] rawPrivate;

    private X25519KeyPair(KeyPair pair) {
        this.pair = pair;
        byte[] encoded = pair.getPublic().getEncoded();
        this.publicKey = Arrays.copyOfRange(encoded, encoded.length - KEY_LENGTH, encoded.length);
        this.rawPrivate = ((java.security.interfaces.XECPrivateKey) pair.getPrivate()).getScalar()
                .orElseThrow(() -> new IllegalStateException("X25519 private key without its scalar"));
        if (rawPrivate.length != KEY_LENGTH) {
            throw new IllegalStateException("X25519 private key of " + rawPrivate.length + " bytes");
        }
    }

    public static X25519KeyPair generate() {
        try {
            return new X25519KeyPair(KeyPairGenerator.getInstance("X25519").generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is required by every JDK since 11", e);
        }
    }

    /**
     * The key pair of a given raw 32-byte private key (RFC 7748 encoding). Sessions use
     * {@link #generate}; this exists for test vectors, which need fixed keys.
     */
    public static X25519KeyPair fromPrivate(byte[] rawPrivate) {
        if (rawPrivate.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an X25519 private key is 32 bytes");
        }
        try {
            KeyFactory kf = KeyFactory.getInstance("X25519");
            java.security.PrivateKey priv = kf.generatePrivate(
                    new java.security.spec.XECPrivateKeySpec(java.security.spec.NamedParameterSpec.X25519, rawPrivate.clone()));
            // The public key is X25519(private, 9): the base point's u-coordinate.
            byte[] basePoint = new byte[KEY_LENGTH];
            basePoint[0] = 9;
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(priv);
            ka.doPhase(publicKeyOf(basePoint), true);
            return new X25519KeyPair(new KeyPair(publicKeyOf(ka.generateSecret()), priv));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("bad X25519 private key", e);
        }
    }

    private static PublicKey publicKeyOf(byte[] raw) throws GeneralSecurityException {
        byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + KEY_LENGTH);
        System.arraycopy(raw, 0, encoded, X509_PREFIX.length, KEY_LENGTH);
        return KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(encoded));
    }

    /** Copies the raw 32-byte public key to {@code out[off]} without allocating. */
    public void copyPublicKey(byte[] out, int off) {
        System.arraycopy(publicKey, 0, out, off, KEY_LENGTH);
    }

    /** The raw 32-byte private key, not copied: for {@link Hpke} only, which must not allocate. */
    byte[] rawPrivateKey() {
        return rawPrivate;
    }

    /** The raw 32-byte public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** X25519(our private key, their public key): the shared secret. */
    public byte[] agree(byte[] theirPublicKey) {
        if (theirPublicKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an X25519 public key is 32 bytes");
        }
        try {
            byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + KEY_LENGTH);
            System.arraycopy(theirPublicKey, 0, encoded, X509_PREFIX.length, KEY_LENGTH);
            PublicKey theirs = KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(encoded));
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(pair.getPrivate());
            ka.doPhase(theirs, true);
            byte[] shared = ka.generateSecret();
            if (isAllZero(shared)) {
                // A low-order public key forces an all-zero secret (RFC 7748 section 6.1).
                throw new IllegalArgumentException("peer public key is of low order");
            }
            return shared;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("bad X25519 public key", e);
        }
    }

    private static boolean isAllZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }
}
