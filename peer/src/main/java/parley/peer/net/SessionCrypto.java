package parley.peer.net;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Keys of one peer session: X25519 between the two ephemeral keys, then HKDF-SHA256 into one
 * ChaCha20-Poly1305 key per direction, so the two sides never seal with the same key and nonce.
 * The nonce is the packet's kind and sequence number, unique per direction; a retransmission
 * reuses it with the same plaintext, which reveals nothing new.
 */
final class SessionCrypto {
    static final int TAG = 16;
    private final SecretKeySpec sendKey;
    private final SecretKeySpec receiveKey;
    private final String fingerprint;
    private final Cipher cipher;
    private final byte[] nonce = new byte[12];

    SessionCrypto(KeyPair local, byte[] remotePublic) throws GeneralSecurityException {
        byte[] mine = local.publicKey();
        KeyAgreement ka = KeyAgreement.getInstance("X25519");
        ka.init(local.privateKey());
        ka.doPhase(publicKey(remotePublic), true);
        byte[] shared = ka.generateSecret();
        boolean iAmLow = Arrays.compareUnsigned(mine, remotePublic) < 0;
        byte[] low = iAmLow ? mine : remotePublic;
        byte[] high = iAmLow ? remotePublic : mine;
        byte[] salt = concat(low, high);
        byte[] prk = hmac(salt, shared);
        byte[] lowToHigh = hmac(prk, concat("parley v1 low->high".getBytes(StandardCharsets.US_ASCII), new byte[]{1}));
        byte[] highToLow = hmac(prk, concat("parley v1 high->low".getBytes(StandardCharsets.US_ASCII), new byte[]{1}));
        sendKey = new SecretKeySpec(iAmLow ? lowToHigh : highToLow, "ChaCha20");
        receiveKey = new SecretKeySpec(iAmLow ? highToLow : lowToHigh, "ChaCha20");
        fingerprint = format(MessageDigest.getInstance("SHA-256").digest(salt));
        cipher = Cipher.getInstance("ChaCha20-Poly1305");
        Arrays.fill(shared, (byte) 0);
    }

    static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        if (raw.length != 32) {
            throw new GeneralSecurityException("an X25519 public key is 32 bytes");
        }
        return KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(concat(KeyPair.X509_PREFIX, raw)));
    }

    String fingerprint() {
        return fingerprint;
    }

    /** Seals {@code plain} into {@code out} at its position; aad is the packet header. */
    void seal(int kind, int seq, ByteBuffer aad, ByteBuffer plain, ByteBuffer out) throws GeneralSecurityException {
        cipher.init(Cipher.ENCRYPT_MODE, sendKey, iv(kind, seq));
        cipher.updateAAD(aad);
        cipher.doFinal(plain, out);
    }

    /** Opens a sealed body; throws when it was forged, damaged or sealed with another key. */
    void open(int kind, int seq, ByteBuffer aad, ByteBuffer sealed, ByteBuffer out) throws GeneralSecurityException {
        cipher.init(Cipher.DECRYPT_MODE, receiveKey, iv(kind, seq));
        cipher.updateAAD(aad);
        cipher.doFinal(sealed, out);
    }

    private IvParameterSpec iv(int kind, int seq) {
        ByteBuffer.wrap(nonce).putInt(0, 0).putInt(4, kind).putInt(8, seq);
        return new IvParameterSpec(nonce);
    }

    private static String format(byte[] digest) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            if (i > 0 && i % 2 == 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", digest[i] & 0xFF));
        }
        return sb.toString();
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
