package parley.peer.file;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HexFormat;

/**
 * One transfer as the loop sees it: what is shown ({@code /files}, events) and where the
 * protocol stands. The disk end ({@link SourceFile} or {@link PartFile}) is touched only on the
 * transfer thread; the loop keeps here the counts the worker reported. Loop thread only.
 */
final class Transfer {
    static final String IN = "in";
    static final String OUT = "out";

    enum State {
        OFFERED, ACTIVE, PAUSED, DONE, FAILED, CANCELLED, DECLINED;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        boolean finished() {
            return this == DONE || this == FAILED || this == CANCELLED || this == DECLINED;
        }
    }

    final long id;
    final String user;
    final String direction;
    final long size;
    final int chunk;
    final String name;
    final byte[] sha256;
    final byte[] root;
    State state = State.OFFERED;
    /** Bytes verified by the receiver (its FILE_ACK, or its own count). */
    long bytes;
    long startedNanos;
    long bytesAtStart;

    // ---- sending ----
    SourceFile source;
    /** Restored after a restart with a source whose size or modification time changed: it cannot resume. */
    boolean stale;
    /** Bumped on every restart of the send: reads queued for an older epoch are dropped. */
    int epoch;
    int nextHash;
    long readOffset;
    long sendOffset;
    int readsInFlight;
    final ArrayDeque<ByteBuffer> ready = new ArrayDeque<>();

    // ---- receiving ----
    PartFile part;
    /** True once the user accepted: a repeated offer is then answered at once with the resume point. */
    boolean accepted;
    /** Chunks durable on our disk, as the last group commit reported: what acks and resumes name. */
    int verified;
    int held;

    Transfer(long id, String user, String direction, long size, int chunk, String name, byte[] sha256, byte[] root) {
        this.id = id;
        this.user = user;
        this.direction = direction;
        this.size = size;
        this.chunk = chunk;
        this.name = name;
        this.sha256 = sha256;
        this.root = root;
    }

    int chunks() {
        return FilePayload.chunkCount(size, chunk);
    }

    String idText() {
        return String.format("%016x", id);
    }

    String shaText() {
        return HexFormat.of().formatHex(sha256);
    }

    long rate(long now) {
        long elapsed = now - startedNanos;
        return elapsed <= 0 ? 0 : (bytes - bytesAtStart) * 8 * 1_000_000_000L / elapsed;
    }
}
