package parley.core.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * AES-256-GCM (NIST SP 800-38D: 96-bit nonce, 128-bit tag) over the JDK's
 * {@code AES/GCM/NoPadding}, with {@link ChaCha20Poly1305}'s seal/open shape. The JDK's GCM runs
 * on the AES-NI and carry-less multiply intrinsics, several times faster per byte than our
 * ChaCha20-Poly1305 on hosts that have them, which is why sessions may use it for big packets
 * (PROTOCOL.md 9.2, 9.3 SUITES).
 *
 * <p>It allocates: {@code Cipher.init} takes a new {@link GCMParameterSpec} per nonce and the JDK
 * builds its GCM state again on every init. Measured on the project's host (JDK 17,
 * 2026-11-30) with {@code ThreadMXBean} after warm-up ({@code AesGcmTest}, two runs): 1,080-1,192 B
 * per seal and 1,074-1,200 B per open, the same at 1,164 B and at 65,000 B of plaintext (nothing
 * copies the data); with JMH's {@code -prof gc} ({@code SealOpenBenchmark}): 1,170-1,203 B per
 * seal, 2,337-2,386 B per seal and open. A tag that fails costs an exception on top. So the
 * chat path, which must allocate nothing, stays on ChaCha20-Poly1305, and only packets of
 * {@code 4,096} frame bytes or more are sealed with this (PROTOCOL.md 9.3, our sender's policy).
 * Not thread-safe: one per direction.
 */
public final class AesGcm implements Aead {
    public static final int KEY_LENGTH = 32;
    private static final int TAG_BITS = TAG_LENGTH * 8;

    private final Cipher cipher;
    private final SecretKeySpec key;

    public AesGcm(byte[] key32) {
        if (key32.length != KEY_LENGTH) {
            throw new IllegalArgumentException("AES-256-GCM takes a 32-byte key");
        }
        this.key = new SecretKeySpec(key32, "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is required by every JDK", e);
        }
    }

    @Override
    public void seal(byte[] nonce, ByteBuffer aad, ByteBuffer plain, ByteBuffer out) {
        int n = plain.remaining();
        if (out.remaining() < n + TAG_LENGTH) {
            throw new IllegalArgumentException("output too small");
        }
        try {
            run(Cipher.ENCRYPT_MODE, nonce, aad, plain, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused to seal", e); // a nonce used twice, or a bug
        }
    }

    @Override
    public boolean open(byte[] nonce, ByteBuffer aad, ByteBuffer sealed, ByteBuffer out) {
        int total = sealed.remaining();
        if (total < TAG_LENGTH || out.remaining() < total - TAG_LENGTH) {
            return false;
        }
        try {
            run(Cipher.DECRYPT_MODE, nonce, aad, sealed, out);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused to open", e);
        }
    }

    /**
     * One whole GCM operation: {@code in} (position to limit) into {@code out} at its position,
     * over {@code aad}; on success all three are advanced. On a tag that fails, the JDK writes
     * nothing and throws {@link AEADBadTagException}, and no buffer moves.
     */
    private void run(int mode, byte[] nonce, ByteBuffer aad, ByteBuffer in, ByteBuffer out) throws GeneralSecurityException {
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad.array(), aad.arrayOffset() + aad.position(), aad.remaining());
        int written = cipher.doFinal(in.array(), in.arrayOffset() + in.position(), in.remaining(),
                out.array(), out.arrayOffset() + out.position());
        out.position(out.position() + written);
        in.position(in.limit());
        aad.position(aad.limit());
    }
}
