package parley.core.crypto;

import javax.crypto.KeyAgreement;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;

/**
 * HPKE (RFC 9180) single-shot seal and open for one suite: DHKEM(X25519, HKDF-SHA256) 0x0020,
 * HKDF-SHA256 0x0001, ChaCha20-Poly1305 0x0003, in base mode (0x00) or auth mode (0x02). No PSK
 * modes, no exporter, no multi-message context: a sealed message is {@code enc || ciphertext}
 * and uses sequence number 0 only, so its nonce is the base nonce.
 *
 * <p>Why hand-built rather than a library: the JDK 17 has no HPKE, and the project already has
 * the three primitives. The key schedule runs on a reused {@link HmacSha256} and a re-keyed
 * {@link ChaCha20Poly1305} with caller-provided heap buffers, so it allocates nothing; X25519 goes
 * through the JDK's XDH, which allocates inside (key objects, encodings, the big-integer ladder):
 * that part is measured in PERFORMANCE.md "Sealed mail", not hidden. Not thread-safe: one per
 * thread.
 */
public final class Hpke {
    public static final byte MODE_BASE = 0x00;
    public static final byte MODE_AUTH = 0x02;
    /** Nenc: the encapsulated key is the raw X25519 ephemeral public key. */
    public static final int ENC_LENGTH = 32;
    public static final int TAG_LENGTH = ChaCha20Poly1305.TAG_LENGTH;
    /** Bytes a sealed message adds to its plaintext. */
    public static final int OVERHEAD = ENC_LENGTH + TAG_LENGTH;
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};

    private final HpkeKeySchedule schedule = new HpkeKeySchedule();
    private final ChaCha20Poly1305 aead = new ChaCha20Poly1305(new byte[HpkeKeySchedule.NK]);
    private final KeyAgreement agreement;
    private final KeyFactory keys;
    /** dh (one or two X25519 outputs). */
    private final byte[] dh = new byte[2 * X25519KeyPair.KEY_LENGTH];
    /** enc || pkR || pkS: the KEM context. */
    private final byte[] kemContext = new byte[3 * X25519KeyPair.KEY_LENGTH];
    /** The X.509 encoding the JDK wants for a raw X25519 public key: fixed prefix, then the key. */
    private final byte[] x509 = java.util.Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + X25519KeyPair.KEY_LENGTH);

    public Hpke() {
        try {
            agreement = KeyAgreement.getInstance("X25519");
            keys = KeyFactory.getInstance("X25519");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is required by every JDK since 11", e);
        }
    }

    /**
     * Seals {@code plain} to {@code recipientPublic} under a fresh ephemeral key: writes {@code enc}
     * then the ciphertext and tag to {@code out} ({@link #OVERHEAD} + plaintext bytes). With a
     * {@code sender} key pair this is auth mode (the recipient learns the sender's key proved the
     * message), without it base mode.
     */
    public void seal(byte[] recipientPublic, X25519KeyPair sender, byte[] info, ByteBuffer aad, ByteBuffer plain, ByteBuffer out) {
        seal(X25519KeyPair.generate(), recipientPublic, sender, info, aad, plain, out);
    }

    /** {@link #seal} with a given ephemeral key pair: for test vectors only (reusing one breaks HPKE). */
    public void seal(X25519KeyPair ephemeral, byte[] recipientPublic, X25519KeyPair sender, byte[] info,
                     ByteBuffer aad, ByteBuffer plain, ByteBuffer out) {
        checkKey(recipientPublic);
        if (out.remaining() < OVERHEAD + plain.remaining()) {
            throw new IllegalArgumentException("output too small");
        }
        int dhLength = agree(ephemeral, recipientPublic, 0);
        if (sender != null) {
            dhLength = agree(sender, recipientPublic, dhLength);
        }
        ephemeral.copyPublicKey(kemContext, 0);
        System.arraycopy(recipientPublic, 0, kemContext, ENC_LENGTH, ENC_LENGTH);
        if (sender != null) {
            sender.copyPublicKey(kemContext, 2 * ENC_LENGTH);
        }
        schedule.derive(sender == null ? MODE_BASE : MODE_AUTH, dh, dhLength, kemContext, info);
        aead.rekey(schedule.key());
        out.put(kemContext, 0, ENC_LENGTH);
        aead.seal(schedule.nonce(), aad, plain, out);
    }

    /**
     * Opens {@code blob} ({@code enc || ciphertext}, position to limit) with the recipient's key
     * pair, writing the plaintext to {@code out}. {@code senderPublic} non-null means auth mode.
     * Returns false, writing nothing, if the blob is too short, its {@code enc} is a bad or
     * low-order key, or it does not authenticate (wrong key, info, aad, sender, or tampered).
     */
    public boolean open(X25519KeyPair recipient, byte[] senderPublic, byte[] info, ByteBuffer aad, ByteBuffer blob, ByteBuffer out) {
        if (blob.remaining() < OVERHEAD || out.remaining() < blob.remaining() - OVERHEAD) {
            return false;
        }
        blob.get(kemContext, 0, ENC_LENGTH);
        int dhLength;
        try {
            dhLength = agree(recipient, kemContext, 0, 0);
            if (senderPublic != null) {
                checkKey(senderPublic);
                dhLength = agree(recipient, senderPublic, 0, dhLength);
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        recipient.copyPublicKey(kemContext, ENC_LENGTH);
        if (senderPublic != null) {
            System.arraycopy(senderPublic, 0, kemContext, 2 * ENC_LENGTH, ENC_LENGTH);
        }
        schedule.derive(senderPublic == null ? MODE_BASE : MODE_AUTH, dh, dhLength, kemContext, info);
        aead.rekey(schedule.key());
        return aead.open(schedule.nonce(), aad, blob, out);
    }

    /** DeriveKeyPair (RFC 9180 7.1.3) for X25519: a key pair from input keying material. */
    public static X25519KeyPair deriveKeyPair(byte[] ikm) {
        return X25519KeyPair.fromPrivate(HpkeKeySchedule.deriveSecretKey(ikm));
    }

    private int agree(X25519KeyPair ours, byte[] theirPublic, int dhOffset) {
        return agree(ours, theirPublic, 0, dhOffset);
    }

    /** X25519 into {@link #dh} at {@code dhOffset}; rejects a low-order peer key (all-zero output). */
    private int agree(X25519KeyPair ours, byte[] theirPublic, int theirOffset, int dhOffset) {
        try {
            System.arraycopy(theirPublic, theirOffset, x509, X509_PREFIX.length, X25519KeyPair.KEY_LENGTH);
            PublicKey theirs = keys.generatePublic(new X509EncodedKeySpec(x509));
            agreement.init(ours.privateKey());
            agreement.doPhase(theirs, true);
            agreement.generateSecret(dh, dhOffset);
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new IllegalArgumentException("bad X25519 public key", e);
        }
        int acc = 0;
        for (int i = 0; i < X25519KeyPair.KEY_LENGTH; i++) {
            acc |= dh[dhOffset + i];
        }
        if (acc == 0) {
            throw new IllegalArgumentException("X25519 public key of low order");
        }
        return dhOffset + X25519KeyPair.KEY_LENGTH;
    }

    private static void checkKey(byte[] publicKey) {
        if (publicKey.length != X25519KeyPair.KEY_LENGTH) {
            throw new IllegalArgumentException("an X25519 public key is 32 bytes");
        }
    }
}
