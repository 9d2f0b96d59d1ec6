package parley.core.crypto;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * HPKE (RFC 9180) single-shot seal and open for one suite: DHKEM(X25519, HKDF-SHA256) 0x0020,
 * HKDF-SHA256 0x0001, ChaCha20-Poly1305 0x0003, in base mode (0x00) or auth mode (0x02). No PSK
 * modes, no exporter, no multi-message context: a sealed message is {@code enc || ciphertext}
 * and uses sequence number 0 only, so its nonce is the base nonce.
 *
 * <p>Why hand-built rather than a library: the JDK 17 has no HPKE, and the project already has
 * the three primitives. The key schedule runs on a reused {@link HmacSha256} and a re-keyed
 * {@link ChaCha20Poly1305} with caller-provided heap buffers, and X25519 on the reused,
 * constant-time {@link X25519} (not the JDK's XDH, which allocates about 13 KB per operation), so
 * seal with caller-provided ephemeral randomness, and open, allocate nothing in steady state.
 * Not thread-safe: one per thread.
 */
public final class Hpke {
    public static final byte MODE_BASE = 0x00;
    public static final byte MODE_AUTH = 0x02;
    /** Nenc: the encapsulated key is the raw X25519 ephemeral public key. */
    public static final int ENC_LENGTH = 32;
    public static final int TAG_LENGTH = ChaCha20Poly1305.TAG_LENGTH;
    /** Bytes a sealed message adds to its plaintext. */
    public static final int OVERHEAD = ENC_LENGTH + TAG_LENGTH;

    private final HpkeKeySchedule schedule = new HpkeKeySchedule();
    private final ChaCha20Poly1305 aead = new ChaCha20Poly1305(new byte[HpkeKeySchedule.NK]);
    private final X25519 x25519 = new X25519();
    private final SecureRandom random;
    /** The ephemeral private key of the seal under way; wiped after use. */
    private final byte[] ephemeralPrivate = new byte[X25519.KEY_LENGTH];
    /** dh (one or two X25519 outputs). */
    private final byte[] dh = new byte[2 * X25519KeyPair.KEY_LENGTH];
    /** enc || pkR || pkS: the KEM context. */
    private final byte[] kemContext = new byte[3 * X25519KeyPair.KEY_LENGTH];

    public Hpke() {
        this(new SecureRandom());
    }

    /** With the source of ephemeral keys for {@link #seal(byte[], X25519KeyPair, byte[], ByteBuffer, ByteBuffer, ByteBuffer)}. */
    public Hpke(SecureRandom random) {
        this.random = random;
    }

    /**
     * Seals {@code plain} to {@code recipientPublic} under a fresh ephemeral key: writes {@code enc}
     * then the ciphertext and tag to {@code out} ({@link #OVERHEAD} + plaintext bytes). With a
     * {@code sender} key pair this is auth mode (the recipient learns the sender's key proved the
     * message), without it base mode.
     */
    public void seal(byte[] recipientPublic, X25519KeyPair sender, byte[] info, ByteBuffer aad, ByteBuffer plain, ByteBuffer out) {
        random.nextBytes(ephemeralPrivate);
        seal(ephemeralPrivate, recipientPublic, sender, info, aad, plain, out);
    }

    /**
     * {@link #seal} with the ephemeral private key given as 32 caller-provided random bytes (a
     * fresh draw per message: reusing one breaks HPKE), clamped as RFC 7748 says; the public key
     * is computed here. This form allocates nothing (a {@code SecureRandom} may, inside).
     */
    public void seal(byte[] ephemeralRandom, byte[] recipientPublic, X25519KeyPair sender, byte[] info,
                     ByteBuffer aad, ByteBuffer plain, ByteBuffer out) {
        checkKey(recipientPublic);
        checkKey(ephemeralRandom);
        if (out.remaining() < OVERHEAD + plain.remaining()) {
            throw new IllegalArgumentException("output too small");
        }
        int dhLength = agree(ephemeralRandom, recipientPublic, 0, 0);
        if (sender != null) {
            dhLength = agree(sender.rawPrivateKey(), recipientPublic, 0, dhLength);
        }
        x25519.publicKey(ephemeralRandom, 0, kemContext, 0);
        System.arraycopy(recipientPublic, 0, kemContext, ENC_LENGTH, ENC_LENGTH);
        if (sender != null) {
            sender.copyPublicKey(kemContext, 2 * ENC_LENGTH);
        }
        schedule.derive(sender == null ? MODE_BASE : MODE_AUTH, dh, dhLength, kemContext, info);
        aead.rekey(schedule.key());
        out.put(kemContext, 0, ENC_LENGTH);
        aead.seal(schedule.nonce(), aad, plain, out);
        if (ephemeralRandom == ephemeralPrivate) {
            java.util.Arrays.fill(ephemeralPrivate, (byte) 0);
        }
    }

    /** {@link #seal} with a given ephemeral key pair: for test vectors only (reusing one breaks HPKE). */
    public void seal(X25519KeyPair ephemeral, byte[] recipientPublic, X25519KeyPair sender, byte[] info,
                     ByteBuffer aad, ByteBuffer plain, ByteBuffer out) {
        seal(ephemeral.rawPrivateKey(), recipientPublic, sender, info, aad, plain, out);
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
            dhLength = agree(recipient.rawPrivateKey(), kemContext, 0, 0);
            if (senderPublic != null) {
                checkKey(senderPublic);
                dhLength = agree(recipient.rawPrivateKey(), senderPublic, 0, dhLength);
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

    /**
     * X25519 into {@link #dh} at {@code dhOffset}; rejects a low-order peer key (all-zero output)
     * with an exception, which {@link #open} turns into false. Allocates nothing on success.
     */
    private int agree(byte[] ourPrivate, byte[] theirPublic, int theirOffset, int dhOffset) {
        if (!x25519.scalarMult(ourPrivate, 0, theirPublic, theirOffset, dh, dhOffset)) {
            throw new IllegalArgumentException("X25519 public key of low order");
        }
        return dhOffset + X25519.KEY_LENGTH;
    }

    private static void checkKey(byte[] publicKey) {
        if (publicKey.length != X25519KeyPair.KEY_LENGTH) {
            throw new IllegalArgumentException("an X25519 public key is 32 bytes");
        }
    }
}
