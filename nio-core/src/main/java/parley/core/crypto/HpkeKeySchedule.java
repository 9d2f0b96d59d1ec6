package parley.core.crypto;

import java.nio.charset.StandardCharsets;

/**
 * The symmetric half of HPKE (RFC 9180) for DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and
 * ChaCha20-Poly1305: ExtractAndExpand of the KEM (4.1) and KeySchedule (5.1) without PSK, from the
 * Diffie-Hellman output(s) to the AEAD key and base nonce. Separate from {@link Hpke} so that this
 * part, which allocates nothing (one reused {@link HmacSha256}, fixed scratch arrays, every
 * labelled input fed to the HMAC in pieces instead of concatenated), can be measured apart from
 * the JDK's X25519. Not thread-safe.
 */
public final class HpkeKeySchedule {
    static final int NH = 32;
    static final int NK = 32;
    static final int NN = 12;
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
    private static final int KEY_LENGTH = X25519KeyPair.KEY_LENGTH;

    private final HmacSha256 hmac = new HmacSha256();
    private final byte[] prk = new byte[NH];
    private final byte[] sharedSecret = new byte[NH];
    /** mode || psk_id_hash || info_hash. */
    private final byte[] context = new byte[1 + 2 * NH];
    private final byte[] secret = new byte[NH];
    private final byte[] key = new byte[NK];
    private final byte[] nonce = new byte[NN];
    private final byte[] block = new byte[NH];

    /**
     * Derives key and base nonce. {@code dh} holds one X25519 output (base mode) or two (auth
     * mode, {@code dhLength} 64); {@code kemContext} is {@code enc || pkR}, plus {@code pkS} in
     * auth mode.
     */
    public void derive(byte mode, byte[] dh, int dhLength, byte[] kemContext, byte[] info) {
        int kemContextLength = mode == Hpke.MODE_AUTH ? 3 * KEY_LENGTH : 2 * KEY_LENGTH;
        hmac.start(ZERO_SALT).update(VERSION).update(KEM_SUITE).update(EAE_PRK).update(dh, 0, dhLength).finish(prk, 0);
        expand(prk, KEM_SUITE, SHARED_SECRET, kemContext, kemContextLength, NH, sharedSecret);
        context[0] = mode;
        hmac.start(ZERO_SALT).update(VERSION).update(SUITE).update(PSK_ID_HASH).finish(context, 1);
        hmac.start(ZERO_SALT).update(VERSION).update(SUITE).update(INFO_HASH).update(info).finish(context, 1 + NH);
        hmac.start(sharedSecret).update(VERSION).update(SUITE).update(SECRET).finish(secret, 0);
        expand(secret, SUITE, KEY, context, context.length, NK, key);
        expand(secret, SUITE, BASE_NONCE, context, context.length, NN, nonce);
    }

    /** The AEAD key of the last {@link #derive}; the array is reused. */
    public byte[] key() {
        return key;
    }

    /** The base nonce of the last {@link #derive} (the nonce of sequence 0); the array is reused. */
    public byte[] nonce() {
        return nonce;
    }

    /** DeriveKeyPair's secret key (RFC 9180 7.1.3) for X25519. */
    static byte[] deriveSecretKey(byte[] ikm) {
        HmacSha256 h = new HmacSha256();
        byte[] dkpPrk = new byte[NH];
        h.start(ZERO_SALT).update(VERSION).update(KEM_SUITE).update(DKP_PRK).update(ikm).finish(dkpPrk, 0);
        byte[] sk = new byte[NH];
        h.start(dkpPrk).update((byte) 0).update((byte) NSK).update(VERSION).update(KEM_SUITE).update(SK)
                .update((byte) 1).finish(sk, 0);
        return sk;
    }

    /** LabeledExpand for L <= Nh: one HMAC block, truncated. */
    private void expand(byte[] prkIn, byte[] suite, byte[] label, byte[] info, int infoLength, int length, byte[] out) {
        hmac.start(prkIn).update((byte) (length >>> 8)).update((byte) length).update(VERSION).update(suite).update(label)
                .update(info, 0, infoLength).update((byte) 1).finish(block, 0);
        System.arraycopy(block, 0, out, 0, length);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
