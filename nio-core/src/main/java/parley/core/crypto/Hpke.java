package parley.core.crypto;

import javax.crypto.KeyAgreement;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
    private static final int NH = 32;
    private static final int NK = 32;
    private static final int NN = 12;
    private static final int NSK = 32;
    private static final byte[] VERSION = ascii("HPKE-v1");
    /** "KEM" || I2OSP(kem_id, 2): the suite id of the KEM's own labelled functions. */
    private static final byte[] KEM_SUITE = {'K', 'E', 'M', 0x00, 0x20};
    /** "HPKE" || kem_id || kdf_id || aead_id. */
    private static final byte[] SUITE = {'H', 'P', 'K', 'E', 0x00, 0x20, 0x00, 0x01, 0x00, 0x03};
    private static final byte[] EAE_PRK = ascii("eae_prk");
    private static final byte[] SHARED_SECRET = ascii("shared_secret");
    private static final byte[] PSK_ID_HASH = ascii("psk_id_hash");
    private static final byte[] INFO_HASH = ascii("info_hash");
    private static final byte[] SECRET = ascii("secret");
    private static final byte[] KEY = ascii("key");
    private static final byte[] BASE_NONCE = ascii("base_nonce");
    private static final byte[] DKP_PRK = ascii("dkp_prk");
    private static final byte[] SK = ascii("sk");
    private static final byte[] ZERO_SALT = new byte[NH];
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};

    private final HmacSha256 hmac = new HmacSha256();
    private final ChaCha20Poly1305 aead = new ChaCha20Poly1305(new byte[NK]);
    private final KeyAgreement agreement;
    private final KeyFactory keys;
    /** dh (one or two X25519 outputs). */
    private final byte[] dh = new byte[2 * X25519KeyPair.KEY_LENGTH];
    /** enc || pkR || pkS: the KEM context. */
    private final byte[] kemContext = new byte[3 * X25519KeyPair.KEY_LENGTH];
    private final byte[] prk = new byte[NH];
    private final byte[] sharedSecret = new byte[NH];
    /** mode || psk_id_hash || info_hash. */
    private final byte[] context = new byte[1 + 2 * NH];
    private final byte[] secret = new byte[NH];
    private final byte[] key = new byte[NK];
    private final byte[] nonce = new byte[NN];
    private final byte[] block = new byte[NH];
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
        keySchedule(sender == null ? MODE_BASE : MODE_AUTH, dhLength, info);
        out.put(kemContext, 0, ENC_LENGTH);
        aead.seal(nonce, aad, plain, out);
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
        keySchedule(senderPublic == null ? MODE_BASE : MODE_AUTH, dhLength, info);
        return aead.open(nonce, aad, blob, out);
    }

    /** DeriveKeyPair (RFC 9180 7.1.3) for X25519: a key pair from input keying material. */
    public static X25519KeyPair deriveKeyPair(byte[] ikm) {
        HmacSha256 h = new HmacSha256();
        byte[] dkpPrk = new byte[NH];
        h.start(ZERO_SALT).update(VERSION).update(KEM_SUITE).update(DKP_PRK).update(ikm).finish(dkpPrk, 0);
        byte[] sk = new byte[NH];
        h.start(dkpPrk).update((byte) 0).update((byte) NSK).update(VERSION).update(KEM_SUITE).update(SK)
                .update((byte) 1).finish(sk, 0);
        return X25519KeyPair.fromPrivate(sk);
    }

    // ---- key schedule (RFC 9180 4.1 ExtractAndExpand, 5.1 KeySchedule) --------------------------

    private void keySchedule(byte mode, int dhLength, byte[] info) {
        int kemContextLength = mode == MODE_AUTH ? 3 * ENC_LENGTH : 2 * ENC_LENGTH;
        hmac.start(ZERO_SALT).update(VERSION).update(KEM_SUITE).update(EAE_PRK).update(dh, 0, dhLength).finish(prk, 0);
        expand(prk, KEM_SUITE, SHARED_SECRET, kemContext, kemContextLength, NH, sharedSecret);
        context[0] = mode;
        hmac.start(ZERO_SALT).update(VERSION).update(SUITE).update(PSK_ID_HASH).finish(context, 1);
        hmac.start(ZERO_SALT).update(VERSION).update(SUITE).update(INFO_HASH).update(info).finish(context, 1 + NH);
        hmac.start(sharedSecret).update(VERSION).update(SUITE).update(SECRET).finish(secret, 0);
        expand(secret, SUITE, KEY, context, context.length, NK, key);
        expand(secret, SUITE, BASE_NONCE, context, context.length, NN, nonce);
        aead.rekey(key);
    }

    /** LabeledExpand for L <= Nh: one HMAC block, truncated. */
    private void expand(byte[] prkIn, byte[] suite, byte[] label, byte[] infoIn, int infoLength, int length, byte[] out) {
        hmac.start(prkIn).update((byte) (length >>> 8)).update((byte) length).update(VERSION).update(suite).update(label)
                .update(infoIn, 0, infoLength).update((byte) 1).finish(block, 0);
        System.arraycopy(block, 0, out, 0, length);
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

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
