package parley.peer.net;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;

/** An ephemeral X25519 key pair with the public key as the 32 raw bytes the protocol carries. */
public final class KeyPair {
    // X.509 SubjectPublicKeyInfo prefix of an X25519 key; the raw 32 bytes follow it.
    static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};

    private final PrivateKey privateKey;
    private final byte[] publicRaw;

    private KeyPair(PrivateKey privateKey, byte[] publicRaw) {
        this.privateKey = privateKey;
        this.publicRaw = publicRaw;
    }

    public static KeyPair generate() {
        try {
            java.security.KeyPair kp = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            return new KeyPair(kp.getPrivate(), raw(kp.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 unavailable", e);
        }
    }

    static byte[] raw(PublicKey key) {
        byte[] enc = key.getEncoded();
        return Arrays.copyOfRange(enc, enc.length - 32, enc.length);
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public byte[] publicKey() {
        return publicRaw.clone();
    }
}
