package parley.core.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * ChaCha20-Poly1305 for one direction of a session. The nonce is the direction's IV XOR the
 * packet number (as in TLS 1.3 and QUIC), so a nonce repeats only if a packet number does, and
 * the session dies before packet numbers run out. The JDK cipher must be re-initialised per
 * packet with a new nonce; that costs a small allocation inside the JCE, measured in bench/.
 */
public final class PacketCipher {
    public static final int TAG_LENGTH = 16;
    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] iv;
    private final byte[] nonce = new byte[12];
    private final int mode;

    private PacketCipher(byte[] key, byte[] iv, int mode) {
        try {
            this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 is required by every JDK since 11", e);
        }
        this.key = new SecretKeySpec(key, "ChaCha20");
        this.iv = iv.clone();
        this.mode = mode;
    }

    public static PacketCipher sealer(byte[] key, byte[] iv) {
        return new PacketCipher(key, iv, Cipher.ENCRYPT_MODE);
    }

    public static PacketCipher opener(byte[] key, byte[] iv) {
        return new PacketCipher(key, iv, Cipher.DECRYPT_MODE);
    }

    private void init(long packetNumber) throws GeneralSecurityException {
        System.arraycopy(iv, 0, nonce, 0, 12);
        for (int i = 0; i < 8; i++) {
            nonce[11 - i] ^= (byte) (packetNumber >>> (8 * i));
        }
        cipher.init(mode, key, new IvParameterSpec(nonce));
    }

    /**
     * Encrypts {@code plaintext} (position to limit) into {@code out} at its position, followed by
     * the tag, authenticating {@code aad} (position to limit) too. Advances both buffers.
     */
    public void seal(long packetNumber, ByteBuffer aad, ByteBuffer plaintext, ByteBuffer out) {
        try {
            init(packetNumber);
            cipher.updateAAD(aad);
            cipher.doFinal(plaintext, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    /**
     * Decrypts and verifies {@code ciphertext} (position to limit, tag included) into {@code out}.
     * Returns false, leaving {@code out} meaningless, if the packet does not authenticate.
     */
    public boolean open(long packetNumber, ByteBuffer aad, ByteBuffer ciphertext, ByteBuffer out) {
        try {
            init(packetNumber);
            cipher.updateAAD(aad);
            cipher.doFinal(ciphertext, out);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
