package parley.core.crypto;

import java.nio.ByteBuffer;

/**
 * One AEAD for one direction of a session. The nonce is the direction's IV XOR the packet number
 * (as in TLS 1.3 and QUIC), so a nonce repeats only if a packet number does, and the session dies
 * before packet numbers run out. ChaCha20-Poly1305 ({@link #sealer}, {@link #opener}: takes the
 * nonce per call and allocates nothing) or AES-256-GCM ({@link #gcm}: allocates per packet, see
 * {@link AesGcm}); both use the same IV of the direction with their own key (PROTOCOL.md 9.1,
 * 9.2). Buffers must be heap buffers.
 */
public final class PacketCipher {
    public static final int TAG_LENGTH = Aead.TAG_LENGTH;
    private final Aead aead;
    private final byte[] iv;
    private final byte[] nonce = new byte[12];

    private PacketCipher(Aead aead, byte[] iv) {
        this.aead = aead;
        this.iv = iv.clone();
    }

    /** ChaCha20-Poly1305 under {@code key}: the sealing side. */
    public static PacketCipher sealer(byte[] key, byte[] iv) {
        return new PacketCipher(new ChaCha20Poly1305(key), iv);
    }

    /** ChaCha20-Poly1305 under {@code key}: the opening side. */
    public static PacketCipher opener(byte[] key, byte[] iv) {
        return new PacketCipher(new ChaCha20Poly1305(key), iv);
    }

    /** AES-256-GCM under {@code gcmKey}, with the direction's (ChaCha20-Poly1305) IV; seals or opens. */
    public static PacketCipher gcm(byte[] gcmKey, byte[] iv) {
        return new PacketCipher(new AesGcm(gcmKey), iv);
    }

    private byte[] nonce(long packetNumber) {
        System.arraycopy(iv, 0, nonce, 0, 12);
        for (int i = 0; i < 8; i++) {
            nonce[11 - i] ^= (byte) (packetNumber >>> (8 * i));
        }
        return nonce;
    }

    /**
     * Encrypts {@code plaintext} (position to limit) into {@code out} at its position, followed by
     * the tag, authenticating {@code aad} (position to limit) too. Advances both buffers.
     */
    public void seal(long packetNumber, ByteBuffer aad, ByteBuffer plaintext, ByteBuffer out) {
        aead.seal(nonce(packetNumber), aad, plaintext, out);
    }

    /**
     * Decrypts and verifies {@code ciphertext} (position to limit, tag included) into {@code out}.
     * Returns false, leaving {@code out} unwritten, if the packet does not authenticate.
     */
    public boolean open(long packetNumber, ByteBuffer aad, ByteBuffer ciphertext, ByteBuffer out) {
        return aead.open(nonce(packetNumber), aad, ciphertext, out);
    }
}
