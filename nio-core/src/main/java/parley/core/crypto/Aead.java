package parley.core.crypto;

import java.nio.ByteBuffer;

/**
 * An AEAD that takes its 12-byte nonce per call: {@link ChaCha20Poly1305} (mandatory on every
 * session) or {@link AesGcm} (optional, PROTOCOL.md 9.2). {@link PacketCipher} builds the nonce
 * from the packet number and hands it here. All buffers must be heap buffers; the tag is 16 bytes
 * and follows the ciphertext.
 */
public interface Aead {
    int TAG_LENGTH = 16;

    /**
     * Encrypts {@code plain} (position to limit) into {@code out} at its position and appends the
     * tag, authenticating {@code aad} (position to limit). Advances all three.
     */
    void seal(byte[] nonce, ByteBuffer aad, ByteBuffer plain, ByteBuffer out);

    /**
     * Verifies and decrypts {@code sealed} (position to limit, tag last) into {@code out}. Returns
     * false, writing nothing, if the tag does not verify.
     */
    boolean open(byte[] nonce, ByteBuffer aad, ByteBuffer sealed, ByteBuffer out);
}
