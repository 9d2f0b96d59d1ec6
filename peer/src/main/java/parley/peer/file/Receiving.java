package parley.peer.file;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The receiving half of {@link Transfers}: offers, the user's accept, hash lists and chunks
 * handed to the {@link PartFile} on the worker, acks, the final check and the received event.
 * Loop thread only.
 */
final class Receiving {
    private static final Logger log = LoggerFactory.getLogger(Receiving.class);

    private final Transfers x;
    /** Bytes that arrived a second time (a resume re-sends from the start of the first chunk not durable). */
    long resentBytes;
    /** FILE_CHUNK pieces taken in this turn of the loop and not yet handed to the transfer thread. */
    private ChunkBatch batch;

    Receiving(Transfers x) {
        this.x = x;
    }

    static Transfer restored(PartFile p) {
        Transfer t = new Transfer(p.id, p.from, Transfer.IN, p.size, p.chunk, p.name, p.sha256, p.root);
        t.part = p;
        t.verified = p.durable();
        t.held = p.hashesHeld();
        t.bytes = p.durableBytes();
        return t;
    }

    void onOffer(String from, Transfer t, FilePayload o) {
        if (t != null) {
            if (t.direction != Transfer.IN) {
                return;
            }
            if (t.state == Transfer.State.DONE) {
                x.link.send(from, FilePayload.ack(x.control, t.id, t.chunks()));
            } else if (t.state.finished()) {
                x.link.send(from, FilePayload.cancel(x.control, t.id, FilePayload.CANCELLED));
            } else if (t.accepted && t.part != null) {
                sendResume(t);
            }
            return;
        }
        if (x.all.containsKey(o.transfer) || x.all.size() >= Transfers.MAX_TRANSFERS) {
            x.link.send(from, FilePayload.answer(x.control, FilePayload.ANSWER, o.transfer, FilePayload.DECLINE, 0, 0));
            return;
        }
        Transfer n = new Transfer(o.transfer, from, Transfer.IN, o.size, o.chunkSize, FileNames.sanitise(o.name),
                o.sha256.clone(), o.root.clone());
        x.all.put(n.id, n);
        x.events.offer(from, n.id, n.name, n.size, HexFormat.of().formatHex(n.sha256));
        x.emit(n);
    }

    boolean accept(long id) {
        Transfer t = x.all.get(id);
        if (t == null || t.direction != Transfer.IN || t.state != Transfer.State.OFFERED || t.accepted) {
            return false;
        }
        t.accepted = true;
        int[] verdict = new int[1];
        x.worker.run(() -> {
            verdict[0] = Admission.verdict(x.downloads, t.size, x.limit);
            return verdict[0] != FilePayload.ACCEPT ? null
                    : PartFile.create(x.downloads, t.user, t.id, t.size, t.chunk, t.sha256, t.root, t.name);
        }, (part, failure) -> {
            if (t.state.finished()) {
                return; // cancelled by the sender meanwhile
            }
            if (failure != null) {
                log.warn("cannot accept {}: {}", t.name, failure.toString());
                x.fail(t, FilePayload.DISK_ERROR);
            } else if (part == null) {
                x.link.send(t.user, FilePayload.answer(x.control, FilePayload.ANSWER, t.id, verdict[0], 0, 0));
                x.end(t, Transfer.State.DECLINED);
            } else {
                t.part = part;
                x.link.send(t.user, FilePayload.answer(x.control, FilePayload.ANSWER, t.id, FilePayload.ACCEPT, 0, 0));
                x.activate(t);
                if (t.chunks() == 0) {
                    finish(t);
                }
            }
        });
        return true;
    }

    void sendResume(Transfer t) {
        x.link.send(t.user, FilePayload.answer(x.control, FilePayload.RESUME, t.id, FilePayload.ACCEPT, t.verified, t.held));
        if (t.state == Transfer.State.PAUSED) {
            x.activate(t);
            x.events.transfer(t.id, t.user, t.direction, t.bytes, t.size, 0, "resumed");
        }
    }

    void onData(String from, Transfer t, FilePayload d, ByteBuffer payload) {
        if (t != null && t.state.finished()) {
            return; // in flight when it ended
        }
        if (t == null || t.direction != Transfer.IN || t.part == null) {
            x.unexpected++;
            log.warn("{} sent file data for transfer {} it never offered or we never accepted", from, Long.toHexString(d.transfer));
            if (t == null) {
                x.link.send(from, FilePayload.cancel(x.control, d.transfer, FilePayload.UNEXPECTED));
            } else {
                x.fail(t, FilePayload.UNEXPECTED);
            }
            return;
        }
        ByteBuffer b = x.pieces.take();
        if (b == null) {
            throw new IllegalStateException("a file payload was taken without a free piece buffer (hasRoom)");
        }
        b.put(payload.duplicate().position(d.dataOffset).limit(d.dataOffset + d.dataLength)).flip();
        if (d.kind == FilePayload.HASHES) {
            flush(); // the chunks taken before these hashes are written first, as they came
            PartFile p = t.part;
            int first = d.index;
            int count = d.count;
            x.worker.run(() -> p.addHashes(first, b, count), (st, failure) -> {
                x.pieces.give(b);
                if (after(t, st, failure) && st == PartFile.Status.OK) {
                    t.held = first + count;
                }
            });
            return;
        }
        if (batch == null) {
            batch = new ChunkBatch();
            x.worker.later(this::flush); // the end of this burst of messages
        }
        batch.add(t, d.offset, d.dataLength, b);
        if (batch.full()) {
            flush();
        }
    }

    /** Hands the pieces taken so far to the transfer thread, as one task with one reply. */
    private void flush() {
        ChunkBatch c = batch;
        if (c == null) {
            return;
        }
        batch = null;
        x.worker.run(() -> c.writeAll((t, p) -> x.commits.verified(p, (durable, failure) -> onDurable(t, durable, failure))),
                (done, failure) -> written(c));
    }

    /** The transfer thread wrote {@code c}: frees its pieces and acts on each outcome, in order. */
    private void written(ChunkBatch c) {
        for (int i = 0; i < c.size; i++) {
            x.pieces.give(c.piece[i]);
            Transfer t = c.transfer[i];
            PartFile.Status st = c.status[i];
            if (!after(t, st, c.failure[i])) {
                continue;
            }
            if (st == PartFile.Status.IGNORED) {
                resentBytes += c.length[i];
            } else if (st == PartFile.Status.CHUNK_VERIFIED && c.offset[i] + c.length[i] == t.size) {
                finish(t); // the last chunk: finish forces the whole file, then acks N
            }
        }
    }

    /**
     * A group commit made {@code durable} chunks of {@code t} durable ({@link GroupCommit}): only
     * now are they acked (and shown), so an ack never names a chunk a crash could lose. N is
     * acked by {@link #finish} alone, after the rename.
     */
    private void onDurable(Transfer t, Integer durable, Exception failure) {
        if (t.state.finished()) {
            return;
        }
        if (failure != null) {
            log.warn("cannot commit {}: {}", t.name, failure.toString());
            x.fail(t, FilePayload.DISK_ERROR);
            return;
        }
        if (durable > t.verified && durable < t.chunks()) {
            t.verified = durable;
            t.bytes = Math.min(t.size, (long) durable * t.chunk);
            x.link.send(t.user, FilePayload.ack(x.control, t.id, t.verified));
            x.emit(t);
        }
    }

    /** The common part of a worker's answer about data: false when the transfer ended or just failed. */
    private boolean after(Transfer t, PartFile.Status st, Exception failure) {
        if (t.state.finished()) {
            return false;
        }
        if (failure != null) {
            log.warn("cannot write {}: {}", t.name, failure.toString());
            x.fail(t, FilePayload.DISK_ERROR);
            return false;
        }
        if (st == PartFile.Status.UNEXPECTED) {
            x.unexpected++;
            x.fail(t, FilePayload.UNEXPECTED);
            return false;
        }
        if (st == PartFile.Status.HASH_MISMATCH) {
            x.forged++;
            log.warn("{} sent data for {} that does not match its hash", t.user, t.name);
            x.fail(t, FilePayload.HASH_MISMATCH);
            return false;
        }
        return true;
    }

    private void finish(Transfer t) {
        PartFile p = t.part;
        x.worker.run(() -> {
            x.commits.settle(p); // no commit in flight while finish forces and closes the file
            return p.finish();
        }, (Path done, Exception failure) -> {
            if (t.state.finished()) {
                return;
            }
            if (failure != null || done == null) {
                x.forged += done == null && failure == null ? 1 : 0;
                x.fail(t, failure != null ? FilePayload.DISK_ERROR : FilePayload.HASH_MISMATCH);
                return;
            }
            t.bytes = t.size;
            x.link.send(t.user, FilePayload.ack(x.control, t.id, t.chunks()));
            x.end(t, Transfer.State.DONE);
            x.events.received(t.id, t.user, done, t.size, t.shaText());
        });
    }
}
