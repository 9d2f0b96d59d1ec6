package parley.core.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Bytes accepted for a connection but not yet taken by the kernel. Empty most of the time: a
 * write goes straight to the socket and only the part the socket refuses lands here, so an idle
 * connection holds no buffer. Kept in write mode.
 */
final class OutboundBuffer {
    private static final int INITIAL_CAPACITY = 4096;
    private ByteBuffer buffer;

    int pending() {
        return buffer == null ? 0 : buffer.position();
    }

    /** Appends all of {@code src}; the caller has checked the hard limit. */
    void append(ByteBuffer src) {
        int needed = pending() + src.remaining();
        if (buffer == null) {
            buffer = ByteBuffer.allocate(Math.max(INITIAL_CAPACITY, needed));
        } else if (buffer.capacity() < needed) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, buffer.capacity() * 2));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
        buffer.put(src);
    }

    /** Writes as much as the socket takes; releases the buffer once drained. */
    void flushTo(SocketChannel channel) throws IOException {
        if (buffer == null) {
            return;
        }
        buffer.flip();
        try {
            channel.write(buffer);
        } finally {
            buffer.compact();
        }
        if (buffer.position() == 0) {
            buffer = null;
        }
    }

    void clear() {
        buffer = null;
    }
}
