package parley.core.tcp;

import java.nio.ByteBuffer;

/**
 * The packet-sized buffers every TLS connection of a loop shares: one the socket's ciphertext is read
 * into, one for the ciphertext a wrap produces, one for the plaintext an unwrap produces. Only one connection runs on a loop thread at
 * a time and each is done with both buffers before its handler returns, so one pair serves all
 * connections, the way the loop's read buffer does for plaintext. Kept per thread (the loop
 * thread is the only one that drives engines).
 */
final class TlsBuffers {
    private static final ThreadLocal<TlsBuffers> PER_THREAD = ThreadLocal.withInitial(TlsBuffers::new);
    // Large enough for one TLS 1.3 record (16 KiB + overhead) as the JDK reports it; grown on demand.
    private static final int INITIAL = 17 * 1024;

    // Several records per read; heap, because the JDK's AES-GCM copies direct buffers through fresh arrays.
    private static final int READ_SIZE = 64 * 1024;

    private final ByteBuffer netIn = ByteBuffer.allocate(READ_SIZE);
    private ByteBuffer netOut = ByteBuffer.allocate(INITIAL);
    private ByteBuffer appIn = ByteBuffer.allocate(INITIAL);

    static TlsBuffers forThisThread() {
        return PER_THREAD.get();
    }

    /** The shared buffer the socket's ciphertext is read into; the caller clears it. */
    ByteBuffer netIn() {
        return netIn;
    }

    /** The shared ciphertext buffer, cleared, at least {@code min} bytes. */
    ByteBuffer netOut(int min) {
        if (netOut.capacity() < min) {
            netOut = ByteBuffer.allocate(min);
        }
        netOut.clear();
        return netOut;
    }

    /** The shared plaintext buffer, cleared, at least {@code min} bytes. */
    ByteBuffer appIn(int min) {
        if (appIn.capacity() < min) {
            appIn = ByteBuffer.allocate(min);
        }
        appIn.clear();
        return appIn;
    }
}
