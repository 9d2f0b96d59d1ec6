package parley.core.tcp;

import parley.core.wire.ErrorCode;
import parley.core.wire.Flags;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.core.wire.WireException;

import java.nio.ByteBuffer;

/**
 * Splits a TCP byte stream into frames. A frame is the 12-byte header followed by the number of
 * body bytes the header's length field gives, so the header is its own length prefix.
 *
 * <p>Whole frames are handed out in place from the read buffer. Only a frame cut by the end of a
 * read is copied, into a per-connection buffer that is sized only after the header has been
 * checked, so a hostile length can never make it allocate more than {@code maxFrameLength}.
 * Idle connections hold no buffer at all.
 */
public final class FrameDecoder {
    /** Receives decoded frames; returns false to stop decoding (the connection closed). */
    public interface Sink {
        boolean onFrame(ByteBuffer buffer, int offset, int length);
    }

    // A reassembly buffer up to this size is kept for reuse; larger ones are dropped once used so a
    // single large frame does not pin memory on an otherwise idle connection.
    private static final int RETAINED_CAPACITY = 1024;

    private final int maxFrameLength;
    private ByteBuffer partial; // write mode: bytes of the incomplete frame so far
    private int partialTarget; // full length of the frame being assembled, or 0 while its header is incomplete

    public FrameDecoder(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    /** True while part of a frame has arrived and the rest is awaited. */
    public boolean hasPartialFrame() {
        return partial != null && partial.position() > 0;
    }

    /**
     * Decodes every complete frame in {@code in} (position to limit) and keeps the tail. Advances
     * {@code in}'s position over what it consumed.
     *
     * @throws WireException if a header breaks the rules; the stream cannot be trusted after that
     */
    public void decode(ByteBuffer in, Sink sink) {
        if (hasPartialFrame() && !fillPartial(in, sink)) {
            return;
        }
        while (in.remaining() >= Header.LENGTH) {
            int at = in.position();
            int frameLength = checkedFrameLength(in, at);
            if (in.remaining() < frameLength) {
                break;
            }
            in.position(at + frameLength);
            if (!sink.onFrame(in, at, frameLength)) {
                return;
            }
        }
        if (in.hasRemaining()) {
            startPartial(in);
        }
    }

    /** Continues an incomplete frame; returns true when it was completed and delivered. */
    private boolean fillPartial(ByteBuffer in, FrameDecoder.Sink sink) {
        if (partialTarget == 0) {
            copy(in, Header.LENGTH - partial.position());
            if (partial.position() < Header.LENGTH) {
                return false;
            }
            partialTarget = checkedFrameLength(partial, 0);
        }
        if (partial.capacity() < partialTarget) {
            ByteBuffer bigger = ByteBuffer.allocate(partialTarget);
            partial.flip();
            bigger.put(partial);
            partial = bigger;
        }
        copy(in, partialTarget - partial.position());
        if (partial.position() < partialTarget) {
            return false;
        }
        ByteBuffer frame = partial;
        int length = partialTarget;
        partialTarget = 0;
        if (frame.capacity() > RETAINED_CAPACITY) {
            partial = null;
        } else {
            frame.clear();
        }
        return sink.onFrame(frame, 0, length);
    }

    private void startPartial(ByteBuffer in) {
        // What is left is shorter than its frame, whose header (if whole) was already checked, so
        // this copy is bounded by maxFrameLength.
        int n = in.remaining();
        if (partial == null || partial.capacity() < n) {
            partial = ByteBuffer.allocate(Math.max(n, Math.min(RETAINED_CAPACITY, maxFrameLength)));
        }
        partialTarget = n >= Header.LENGTH ? checkedFrameLength(in, in.position()) : 0;
        partial.put(in);
    }

    private void copy(ByteBuffer in, int max) {
        int n = Math.min(max, in.remaining());
        if (n > partial.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(partial.position() + n);
            partial.flip();
            bigger.put(partial);
            partial = bigger;
        }
        int oldLimit = in.limit();
        in.limit(in.position() + n);
        partial.put(in);
        in.limit(oldLimit);
    }

    /** Validates the header at {@code at} and returns the whole frame length. */
    private int checkedFrameLength(ByteBuffer buf, int at) {
        int version = buf.get(at + Header.VERSION_OFFSET) & 0xFF;
        if (version != Header.CURRENT_VERSION) {
            throw new WireException(ErrorCode.UNSUPPORTED_VERSION, "unsupported protocol version " + version);
        }
        int cls = buf.get(at + Header.CLASS_OFFSET) & 0xFF;
        if (!MessageClass.isValid(cls)) {
            throw new WireException(ErrorCode.MALFORMED_HEADER, "unknown message class " + cls);
        }
        int flags = buf.get(at + Header.FLAGS_OFFSET) & 0xFF;
        if ((flags & ~Flags.DEFINED) != 0) {
            throw new WireException(ErrorCode.MALFORMED_HEADER, "undefined flag bits 0x" + Integer.toHexString(flags));
        }
        long body = buf.getInt(at + Header.BODY_LENGTH_OFFSET) & 0xFFFF_FFFFL;
        if (body > maxFrameLength - Header.LENGTH) {
            throw new WireException(ErrorCode.FRAME_TOO_LARGE,
                    "frame of " + (body + Header.LENGTH) + " bytes exceeds the limit of " + maxFrameLength);
        }
        return Header.LENGTH + (int) body;
    }
}
