package parley.peer.file;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;

/**
 * The sending half of {@link Transfers}: offers, the peer's answers and acks, and the send pump
 * that reads pieces ahead on the worker and hands hash lists and chunks to the bulk gate.
 * Loop thread only.
 */
final class Sending {
    private static final Logger log = LoggerFactory.getLogger(Sending.class);
    /**
     * Pieces read ahead per sending transfer (1 MiB): enough to keep the bulk gate fed across the
     * transfer thread's wake-up latency on a loaded host. With 8 (128 KiB) the trace showed the
     * sender idle with every read in flight (PERFORMANCE.md, file transfer). A quarter of the pool.
     */
    static final int READ_AHEAD = 64;
    /** Pieces one read task fills (256 KiB). */
    static final int READ_BATCH = 16;

    private final Transfers x;
    private final ByteBuffer bulk = ByteBuffer.allocate(FilePayload.CHUNK_FIXED + FilePayload.MAX_PIECE);

    Sending(Transfers x) {
        this.x = x;
    }

    static Transfer outgoing(SourceFile s) {
        Transfer t = new Transfer(s.id, s.to, Transfer.OUT, s.size, s.chunk, s.name, s.sha256, s.root);
        t.source = s;
        return t;
    }

    void sendOffer(Transfer t) {
        x.link.send(t.user, FilePayload.offer(x.control, t.id, t.size, t.chunk, t.sha256, t.root, t.name));
    }

    void onAnswer(Transfer t, FilePayload a) {
        if (t == null || t.direction != Transfer.OUT || t.state.finished()) {
            return;
        }
        if (a.code != FilePayload.ACCEPT) {
            x.end(t, Transfer.State.DECLINED);
            return;
        }
        if (t.stale) {
            x.fail(t, FilePayload.SOURCE_CHANGED);
            return;
        }
        int n = t.chunks();
        if (a.index > n || a.count > n) {
            x.fail(t, FilePayload.UNEXPECTED);
            return;
        }
        stopSending(t);
        t.nextHash = a.count;
        t.readOffset = t.sendOffset = Math.min(t.size, (long) a.index * t.chunk);
        t.bytes = t.sendOffset;
        boolean resumed = t.state == Transfer.State.PAUSED;
        x.activate(t);
        if (resumed) {
            x.events.transfer(t.id, t.user, t.direction, t.bytes, t.size, 0, "resumed");
        }
        pump();
    }

    void onAck(Transfer t, int verified) {
        if (t == null || t.direction != Transfer.OUT || t.state.finished() || verified > t.chunks()) {
            return;
        }
        t.bytes = Math.min(t.size, (long) verified * t.chunk);
        if (verified == t.chunks()) {
            x.end(t, Transfer.State.DONE);
        } else {
            x.emit(t);
        }
    }

    /** Sends what the bulk gate admits, and reads ahead from disk into free piece buffers. */
    void pump() {
        for (Transfer t : x.all.values()) {
            if (t.direction == Transfer.OUT && t.state == Transfer.State.ACTIVE) {
                pump(t);
            }
        }
    }

    private void pump(Transfer t) {
        int n = t.chunks();
        while (t.nextHash < n) {
            int k = Math.min(FilePayload.MAX_HASHES_PER_PAYLOAD, n - t.nextHash);
            bulk.clear();
            bulk.put((byte) FilePayload.HASHES).putLong(t.id).putInt(t.nextHash).putShort((short) k)
                    .put(t.source.list, t.nextHash * FilePayload.HASH_LENGTH, k * FilePayload.HASH_LENGTH).flip();
            if (!x.link.sendBulk(t.user, bulk)) {
                return;
            }
            t.nextHash += k;
        }
        while (!t.ready.isEmpty()) {
            ByteBuffer b = t.ready.peek();
            if (!x.link.sendBulk(t.user, FilePayload.chunk(bulk, t.id, t.sendOffset, b))) {
                break;
            }
            t.sendOffset += b.remaining();
            x.pieces.give(t.ready.poll());
        }
        readAhead(t);
    }

    /**
     * Starts reads into free piece buffers while fewer than {@link #READ_AHEAD} pieces are read or
     * being read, {@link #READ_BATCH} pieces per task: one hand-off to the transfer thread and one
     * reply back per batch, not per piece (with a task per piece, the loop and the transfer thread
     * woke each other for every 16 KiB: PERFORMANCE.md, round 9). A smaller batch starts only at
     * the end of the file, or when the pump has nothing read and nothing being read (the pool is
     * short), so the pump never waits on a batch that cannot fill.
     */
    private void readAhead(Transfer t) {
        while (t.readOffset < t.size) {
            int room = READ_AHEAD - t.readsInFlight - t.ready.size();
            int want = nextBatch(t);
            int n = Math.min(Math.min(room, want), x.pieces.available());
            if (n <= 0 || n < want && (t.readsInFlight > 0 || !t.ready.isEmpty())) {
                return;
            }
            ByteBuffer[] batch = new ByteBuffer[n];
            long[] offsets = new long[n];
            for (int i = 0; i < n; i++) {
                batch[i] = x.pieces.take();
                offsets[i] = t.readOffset;
                t.readOffset = pieceEnd(t, t.readOffset);
            }
            t.readsInFlight += n;
            int epoch = t.epoch;
            SourceFile source = t.source;
            x.worker.run(() -> {
                for (int i = 0; i < n; i++) {
                    source.read(offsets[i], batch[i]);
                }
                return null;
            }, (r, failure) -> {
                t.readsInFlight -= n;
                if (failure != null || t.epoch != epoch || t.state != Transfer.State.ACTIVE) {
                    for (ByteBuffer b : batch) {
                        x.pieces.give(b);
                    }
                    if (failure != null && t.epoch == epoch && !t.state.finished()) {
                        log.warn("cannot read {}: {}", source.source, failure.toString());
                        x.fail(t, FilePayload.DISK_ERROR);
                    } else if (t.state == Transfer.State.ACTIVE) {
                        readAhead(t); // a restarted send read nothing while the old reads held the read-ahead
                    }
                    return;
                }
                for (ByteBuffer b : batch) {
                    t.ready.add(b);
                }
                pump(t);
            });
        }
    }

    /** Where the piece starting at {@code at} ends: {@link FilePayload#MAX_PIECE} on, or its chunk's end. */
    private static long pieceEnd(Transfer t, long at) {
        long chunkEnd = Math.min(t.size, (at / t.chunk + 1) * t.chunk);
        return Math.min(chunkEnd, at + FilePayload.MAX_PIECE);
    }

    /** Pieces a full batch from the read offset holds: {@link #READ_BATCH}, or fewer at the end of the file. */
    private static int nextBatch(Transfer t) {
        int n = 0;
        for (long at = t.readOffset; at < t.size && n < READ_BATCH; at = pieceEnd(t, at)) {
            n++;
        }
        return n;
    }

    /** Stops the pump for {@code t}: reads in flight are ignored when they land (new epoch), ready pieces freed. */
    void stopSending(Transfer t) {
        t.epoch++;
        while (!t.ready.isEmpty()) {
            x.pieces.give(t.ready.poll());
        }
    }
}
