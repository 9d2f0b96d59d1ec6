package parley.peer.file;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import parley.peer.event.FileEvents;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The file transfers of one peer (PROTOCOL.md section 9.7), on the loop: offers, answers,
 * resumes and cancels. Every disk call goes to the {@link TransferWorker}; piece data travels in
 * {@link PieceBuffers}, so memory is fixed whatever the files. The sending half, with the send
 * pump, is {@link Sending}; the receiving half is {@link Receiving}. Loop thread only.
 */
public final class Transfers {
    private static final Logger log = LoggerFactory.getLogger(Transfers.class);
    /** Transfers known at once; an offer beyond is declined (a peer cannot fill our memory with offers). */
    public static final int MAX_TRANSFERS = 256;

    final FileLink link;
    final FileLink.Events events;
    final TransferWorker worker;
    /** Receiving side's batched fsyncs; touched on the transfer thread only. */
    final GroupCommit commits;
    final PieceBuffers pieces;
    final Path downloads;
    final Path outgoing;
    final long limit;
    final LongSupplier clock;
    final Map<Long, Transfer> all = new LinkedHashMap<>();
    final ByteBuffer control = ByteBuffer.allocate(FilePayload.OFFER_FIXED + FilePayload.MAX_NAME);
    private final FilePayload in = new FilePayload();
    private final Receiving receiving;
    private final Sending sending;
    private final SecureRandom random = new SecureRandom();
    /** Chunks or hash lists that did not match their hash; data never offered or out of order. */
    long forged;
    long unexpected;

    public Transfers(FileLink link, FileLink.Events events, TransferWorker worker, PieceBuffers pieces,
                     Path downloads, Path outgoing, long limit, LongSupplier clock) {
        this.link = link;
        this.events = events;
        this.worker = worker;
        this.commits = new GroupCommit(worker);
        worker.onIdle(commits::idle);
        this.pieces = pieces;
        this.downloads = downloads;
        this.outgoing = outgoing;
        this.limit = limit;
        this.clock = clock;
        this.receiving = new Receiving(this);
        this.sending = new Sending(this);
    }

    // ---- user commands -------------------------------------------------------------------------

    /** {@code /send}: hashes the file on the worker, then offers it; {@code onId} gets the transfer id (or -1). */
    public void send(String to, Path file, LongConsumer onId) {
        long id = random.nextLong() & Long.MAX_VALUE;
        worker.run(() -> SourceFile.offer(outgoing, id, file, to), (s, failure) -> {
            if (failure != null) {
                log.warn("cannot offer {}: {}", file, failure.toString());
                onId.accept(-1);
                return;
            }
            Transfer t = Sending.outgoing(s);
            all.put(id, t);
            sending.sendOffer(t);
            emit(t);
            onId.accept(id);
        });
    }

    /** {@code /accept file <id>}. False if there is no such offer waiting. */
    public boolean accept(long id) {
        return receiving.accept(id);
    }

    /** {@code /decline file <id>}. */
    public boolean decline(long id) {
        Transfer t = all.get(id);
        if (t == null || t.direction != Transfer.IN || t.state != Transfer.State.OFFERED) {
            return false;
        }
        link.send(t.user, FilePayload.answer(control, FilePayload.ANSWER, id, FilePayload.DECLINE, 0, 0));
        end(t, Transfer.State.DECLINED);
        return true;
    }

    /** {@code /cancel <id>}: either side, at any point before the end. */
    public boolean cancel(long id) {
        Transfer t = all.get(id);
        if (t == null || t.state.finished()) {
            return false;
        }
        link.send(t.user, FilePayload.cancel(control, id, FilePayload.CANCELLED));
        end(t, Transfer.State.CANCELLED);
        return true;
    }

    /** {@code /files}: every transfer, in the order they began. */
    public List<FileEvents.FileRow> list() {
        List<FileEvents.FileRow> rows = new ArrayList<>();
        for (Transfer t : all.values()) {
            rows.add(new FileEvents.FileRow(t.idText(), t.user, t.direction, t.name, t.bytes, t.size, t.state.wire()));
        }
        return rows;
    }

    /** Users with a transfer that waits for a session to go on: ours to offer or resume, or one we accepted. */
    public Set<String> waitingFor() {
        Set<String> users = new HashSet<>();
        for (Transfer t : all.values()) {
            if (t.state == Transfer.State.PAUSED || t.state == Transfer.State.OFFERED && t.direction == Transfer.OUT) {
                users.add(t.user);
            }
        }
        return users;
    }

    /** True while a message may be taken from a session: a piece buffer is free for it. */
    public boolean hasRoom() {
        return pieces.available() > 0;
    }

    public long forged() {
        return forged;
    }

    public long unexpected() {
        return unexpected;
    }

    public long resentBytes() {
        return receiving.resentBytes;
    }

    // ---- restart and sessions ------------------------------------------------------------------

    /** Finds what a previous run left (both sidecar kinds) on the worker; they wait, paused, for their peer. */
    public void load(Runnable done) {
        worker.run(() -> Sidecars.load(downloads, outgoing), (found, failure) -> {
            if (failure != null) {
                log.warn("cannot read unfinished transfers: {}", failure.toString());
            } else {
                for (Sidecars.Found f : found) {
                    Transfer t = f.part != null ? Receiving.restored(f.part) : Sending.outgoing(f.source);
                    t.state = Transfer.State.PAUSED;
                    t.accepted = true;
                    t.stale = f.stale;
                    all.putIfAbsent(t.id, t);
                }
            }
            done.run();
        });
    }

    /** A session with {@code user} is up: each unfinished transfer with them resumes. */
    public void onSessionUp(String user) {
        for (Transfer t : all.values()) {
            if (!t.user.equals(user) || t.state.finished()) {
                continue;
            }
            if (t.direction == Transfer.OUT) {
                sending.sendOffer(t);
            } else if (t.accepted) {
                receiving.sendResume(t);
            }
        }
    }

    /**
     * The session with {@code user} is up but a transfer still waits (its offer or resume was lost,
     * e.g. refused while the session's AUTH was being verified): sends those again. Active ones are
     * left alone (an offer would restart them from the verified point).
     */
    public void nudge(String user) {
        for (Transfer t : all.values()) {
            boolean waiting = t.state == Transfer.State.PAUSED || t.state == Transfer.State.OFFERED && t.direction == Transfer.OUT;
            if (t.user.equals(user) && waiting && (t.direction == Transfer.OUT || t.accepted)) {
                if (t.direction == Transfer.OUT) {
                    sending.sendOffer(t);
                } else {
                    receiving.sendResume(t);
                }
            }
        }
    }

    /** The session with {@code user} is gone: active transfers pause (and resume with the next one). */
    public void onSessionDown(String user) {
        for (Transfer t : all.values()) {
            if (t.user.equals(user) && t.state == Transfer.State.ACTIVE) {
                sending.stopSending(t);
                t.state = Transfer.State.PAUSED;
                emit(t);
            }
        }
    }

    // ---- from the network ----------------------------------------------------------------------

    /** One payload of kinds 0x10-0x16 from {@code from}: 0, or REJECT reason 1 (MALFORMED). */
    public int onPayload(String from, ByteBuffer payload) {
        if (!in.read(payload)) {
            return 1;
        }
        Transfer t = all.get(in.transfer);
        if (t != null && !t.user.equals(from)) {
            t = null; // another user's transfer id: as if unknown
        }
        switch (in.kind) {
            case FilePayload.OFFER:
                receiving.onOffer(from, t, in);
                break;
            case FilePayload.HASHES:
            case FilePayload.CHUNK:
                receiving.onData(from, t, in, payload);
                break;
            case FilePayload.ANSWER:
            case FilePayload.RESUME:
                sending.onAnswer(t, in);
                break;
            case FilePayload.ACK:
                sending.onAck(t, in.index);
                break;
            case FilePayload.CANCEL:
                if (t != null && !t.state.finished()) {
                    end(t, in.code == FilePayload.CANCELLED ? Transfer.State.CANCELLED : Transfer.State.FAILED);
                }
                break;
            default:
                throw new IllegalStateException("read accepted an unknown kind");
        }
        return 0;
    }

    // ---- sending (the pump is in Sending) ------------------------------------------------------

    /** Sends what the bulk gate admits, and reads ahead from disk into free piece buffers. */
    public void pump() {
        sending.pump();
    }

    // ---- state changes -------------------------------------------------------------------------

    void activate(Transfer t) {
        t.state = Transfer.State.ACTIVE;
        t.startedNanos = clock.getAsLong();
        t.bytesAtStart = t.bytes;
        emit(t);
    }

    /** Fails a transfer for {@code reason} (a FILE_CANCEL reason): the peer is told, the disk end removed. */
    void fail(Transfer t, int reason) {
        link.send(t.user, FilePayload.cancel(control, t.id, reason));
        end(t, Transfer.State.FAILED);
    }

    /** A transfer ends: stops sending, removes its sidecar (and a receiver's part file unless done), tells the user. */
    void end(Transfer t, Transfer.State state) {
        sending.stopSending(t);
        t.state = state;
        SourceFile s = t.source;
        PartFile p = t.part;
        if (s != null || p != null && state != Transfer.State.DONE) {
            worker.run(() -> {
                if (s != null) {
                    s.discard();
                }
                if (p != null && state != Transfer.State.DONE) {
                    commits.settle(p);
                    p.discard();
                }
                return null;
            }, (r, failure) -> {
                if (failure instanceof IOException) {
                    log.warn("cannot remove the files of transfer {}: {}", t.idText(), failure.toString());
                }
            });
        }
        emit(t);
    }

    void emit(Transfer t) {
        events.transfer(t.id, t.user, t.direction, t.bytes, t.size, t.rate(clock.getAsLong()), t.state.wire());
    }
}
