package parley.core.reliable;

import parley.core.crypto.PacketCipher;
import parley.core.crypto.SessionKeys;

import java.nio.ByteBuffer;

/**
 * The two AEADs of one session and the choice between them (PROTOCOL.md 9.2, 9.3).
 * ChaCha20-Poly1305 is always there; AES-256-GCM opens datagrams only if this side offered it,
 * and seals only if this side offered it too and the peer's latest SUITES frame accepts it.
 *
 * <p>Our sender's policy (an implementation choice, stated as such in 9.3): AES-256-GCM for
 * packets whose frames are at least {@link #GCM_MIN_FRAMES} bytes, ChaCha20-Poly1305 below. The
 * JDK's GCM is several times faster per byte here (AES-NI, carry-less multiply) but allocates
 * about 1.1 KB per operation ({@link parley.core.crypto.AesGcm}); small packets, the whole chat
 * path, keep the allocation-free ChaCha20-Poly1305. Loop thread only.
 */
final class SessionAead {
    /** Frame bytes from which a packet is sealed with AES-256-GCM, when the peer accepts it. */
    static final int GCM_MIN_FRAMES = 4096;

    private final PacketCipher chachaSealer;
    private final PacketCipher chachaOpener;
    /** False: flags 0x01 is malformed here, and this side does not seal with AES-256-GCM either. */
    private final boolean offerGcm;
    private final byte[] gcmSendKey;
    private final byte[] sendIv;
    private final byte[] gcmReceiveKey;
    private final byte[] receiveIv;
    /** Made on first use, so that a chat-only session holds no JDK cipher (its footprint stays). */
    private PacketCipher gcmSealer;
    private PacketCipher gcmOpener;
    private long gcmSealed;
    private long gcmOpened;

    SessionAead(SessionKeys keys, boolean offerGcm) {
        this.chachaSealer = PacketCipher.sealer(keys.sendKey, keys.sendIv);
        this.chachaOpener = PacketCipher.opener(keys.receiveKey, keys.receiveIv);
        this.offerGcm = offerGcm;
        this.gcmSendKey = keys.gcmSendKey;
        this.sendIv = keys.sendIv;
        this.gcmReceiveKey = keys.gcmReceiveKey;
        this.receiveIv = keys.receiveIv;
    }

    /**
     * The flags byte for a packet of {@code frameBytes} bytes of frames: which AEAD seals it.
     * AES-256-GCM only if both sides offered it and the packet is big enough.
     */
    int sealFlags(int frameBytes, boolean peerAcceptsGcm) {
        return offerGcm && peerAcceptsGcm && frameBytes >= GCM_MIN_FRAMES ? PeerPacket.FLAGS_GCM : PeerPacket.FLAGS_CHACHA;
    }

    /** Seals with the AEAD {@code flags} names; see {@link PacketCipher#seal}. */
    void seal(int flags, long packetNumber, ByteBuffer aad, ByteBuffer frames, ByteBuffer out) {
        if (flags == PeerPacket.FLAGS_GCM) {
            if (gcmSealer == null) {
                gcmSealer = PacketCipher.gcm(gcmSendKey, sendIv);
            }
            gcmSealed++;
            gcmSealer.seal(packetNumber, aad, frames, out);
        } else {
            chachaSealer.seal(packetNumber, aad, frames, out);
        }
    }

    /**
     * True if a datagram with {@code flags} may be opened on this session: ChaCha20-Poly1305
     * always, AES-256-GCM only if this side offered it. Anything else is malformed, dropped before
     * decryption.
     */
    boolean accepts(int flags) {
        return flags == PeerPacket.FLAGS_CHACHA || flags == PeerPacket.FLAGS_GCM && offerGcm;
    }

    /** Opens with the AEAD {@code flags} names, which {@link #accepts}; see {@link PacketCipher#open}. */
    boolean open(int flags, long packetNumber, ByteBuffer aad, ByteBuffer sealed, ByteBuffer out) {
        if (flags == PeerPacket.FLAGS_GCM) {
            if (gcmOpener == null) {
                gcmOpener = PacketCipher.gcm(gcmReceiveKey, receiveIv);
            }
            boolean opened = gcmOpener.open(packetNumber, aad, sealed, out);
            gcmOpened += opened ? 1 : 0;
            return opened;
        }
        return chachaOpener.open(packetNumber, aad, sealed, out);
    }

    /** Packets this side sealed with AES-256-GCM. */
    long gcmSealed() {
        return gcmSealed;
    }

    /** Packets that arrived sealed with AES-256-GCM and authenticated. */
    long gcmOpened() {
        return gcmOpened;
    }
}
