package parley.peer.core;

import parley.core.loop.EventLoop;
import parley.core.loop.Timer;
import parley.peer.command.Command;
import parley.peer.command.CommandSpec;
import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.FileEvents;
import parley.peer.file.FileLink;
import parley.peer.file.FilePayload;
import parley.peer.file.PieceBuffers;
import parley.peer.file.TransferWorker;
import parley.peer.file.Transfers;
import parley.peer.net.PeerTransport;
import parley.peer.net.ReliableTransport;
import parley.peer.output.EventSink;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * File transfer in the peer (issue 15, PROTOCOL.md 9.7): the file commands, the {@link Transfers}
 * engine wired to the chat sessions, and its events. File payloads travel on the contact's
 * authenticated chat session (the engine's data through the session's bulk gate, behind chat);
 * a transfer that waits for its peer makes this side open a session now and then, so transfers
 * resume by themselves when both are back. Loop thread only, except {@link #close}.
 */
final class FileShare implements FileLink, FileLink.Events, SessionFiles {
    /** How often a transfer waiting for its peer tries to open a session (a PEER_CONNECT). */
    static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** Progress while active is reported at most this often per transfer: not per chunk. */
    static final long PROGRESS_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** File messages held while a session's AUTH is being verified (offers, answers: small). */
    static final int MAX_EARLY = 16;
    static final String STATE_ACTIVE = "active";

    private final EventLoop loop;
    private final EventSink sink;
    private final Conversations chats;
    private final RegistryRequests link;
    private final TransferWorker worker;
    private final PieceBuffers pieces = new PieceBuffers();
    private final Transfers engine;
    private final Timer retry = new Timer(this::retry);
    private final ProgressThrottle progress;
    /** Per session id: file messages that came after the peer's AUTH, before it verified. */
    private final Map<Long, ArrayDeque<ByteBuffer>> early = new HashMap<>();
    private PeerTransport transport;

    FileShare(EventLoop loop, PeerConfig config, EventSink sink, Conversations chats, RegistryRequests link) {
        this.loop = loop;
        this.sink = sink;
        this.chats = chats;
        this.link = link;
        this.progress = new ProgressThrottle(loop, PROGRESS_NANOS, sink);
        this.worker = new TransferWorker(config.name + "-files", loop::execute);
        Path downloads = config.downloads != null ? config.downloads : config.dataDir.resolve("downloads");
        this.engine = new Transfers(this, this, worker, pieces, downloads, config.dataDir.resolve("transfers"),
                config.maxFileBytes, loop::nanoTime);
    }

    /** Loop thread: the transport is bound; finds what a previous run left and starts retrying. */
    void start(PeerTransport t) {
        this.transport = t;
        if (t instanceof ReliableTransport r) { // its intake closed while every piece buffer was taken
            pieces.onRoom(() -> loop.execute(r::resumeIntake));
        }
        engine.load(() -> loop.schedule(retry, loop.nanoTime() + RETRY_NANOS));
    }

    /** Part of the session intake gate: a file message needs a free piece buffer. */
    boolean hasRoom() {
        return engine.hasRoom();
    }

    // ---- commands ------------------------------------------------------------------------------

    /** Runs a file command; false for an /accept or /decline that is not about a file (a user's request). */
    boolean handle(Command c) {
        CommandSpec spec = c.spec();
        if ((spec == CommandSpec.ACCEPT || spec == CommandSpec.DECLINE) && !isFileAnswer(c)) {
            return false;
        }
        if (spec == CommandSpec.FILES) {
            sink.emit(new FileEvents.Files(engine.list()));
            return true;
        }
        if (spec == CommandSpec.SEND) {
            send(c.arg(0), c.arg(1));
            return true;
        }
        String idText = spec == CommandSpec.CANCEL ? c.arg(0) : c.arg(1);
        long id = parseId(idText);
        boolean ok = id >= 0 && (spec == CommandSpec.ACCEPT ? engine.accept(id)
                : spec == CommandSpec.DECLINE ? engine.decline(id) : engine.cancel(id));
        if (!ok) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.NO_SUCH_TRANSFER, "no transfer " + idText
                    + (spec == CommandSpec.CANCEL ? " that is still going" : " waiting for your answer") + "; /files lists them"));
        }
        return true;
    }

    private static boolean isFileAnswer(Command c) {
        return c.arg(1) != null && "file".equals(c.arg(0).toLowerCase(Locale.ROOT));
    }

    private void send(String user, String path) {
        if (link.user() == null) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.NOT_LOGGED_IN, "you are not logged in: /login <user> first"));
            return;
        }
        if (user.equalsIgnoreCase(link.user())) {
            sink.emit(new ConsoleEvents.Error("CANNOT_TARGET_SELF", "you cannot send files to yourself"));
            return;
        }
        sink.emit(new ConsoleEvents.Info("hashing " + path + " to offer it to " + user));
        chats.openFor(user); // the offer goes out once the session is up (Transfers#onSessionUp)
        engine.send(user, Path.of(path), id -> {
            if (id < 0) {
                sink.emit(new ConsoleEvents.Error(ClientErrors.FILE_UNREADABLE, "cannot read " + path + " to offer it"));
            }
        });
    }

    /** A transfer id as shown: 16 hex digits; -1 if it is not one. */
    static long parseId(String text) {
        if (text == null || text.isEmpty() || text.length() > 16) {
            return -1;
        }
        try {
            long id = Long.parseUnsignedLong(text, 16);
            return id < 0 ? -1 : id;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- sessions (from Conversations) ---------------------------------------------------------

    static boolean isFile(ByteBuffer payload) {
        return payload.hasRemaining() && FilePayload.isFileKind(payload.get(payload.position()) & 0xFF);
    }

    /** FILE_HASHES or FILE_CHUNK: what travels on stream 1 (PROTOCOL.md 9.9). */
    static boolean isFileData(ByteBuffer payload) {
        return payload.hasRemaining() && FilePayload.isBulkKind(payload.get(payload.position()) & 0xFF);
    }

    /** A file message on {@code c}'s session: to the engine once authenticated; held briefly while the AUTH verifies. */
    int onPayload(Conversation c, long sid, ByteBuffer payload) {
        if (c != null && c.authenticated && c.localId == sid) {
            return engine.onPayload(c.user, payload);
        }
        ArrayDeque<ByteBuffer> held = early.computeIfAbsent(sid, k -> new ArrayDeque<>());
        if (c == null || c.auth == null || !c.auth.received || held.size() >= MAX_EARLY || payload.remaining() > FilePayload.MAX_NAME + 128) {
            return ChatPayload.REJECT_MALFORMED; // no session, or more (or bigger) than an offer before the AUTH
        }
        held.add(ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip());
        return 0;
    }

    @Override
    public void onSessionUp(Conversation c) {
        ArrayDeque<ByteBuffer> held = early.remove(c.localId);
        while (held != null && !held.isEmpty()) {
            engine.onPayload(c.user, held.poll());
        }
        engine.onSessionUp(c.user);
    }

    @Override
    public void onSessionDown(String user, long sid) {
        early.remove(sid);
        if (user != null) {
            engine.onSessionDown(user);
        }
    }

    void onBulkRoom() {
        engine.pump();
    }

    private void retry(long now) {
        if (link.user() != null) {
            for (String user : engine.waitingFor()) {
                Conversation c = chats.find(user);
                if (c != null && c.authenticated && c.state == Conversation.State.OPEN) {
                    engine.nudge(user); // a session is up, yet it waits: its offer or resume was lost
                } else {
                    chats.openFor(user);
                }
            }
        }
        loop.schedule(retry, now + RETRY_NANOS);
    }

    // ---- FileLink: out through the user's session -------------------------------------------------

    @Override
    public boolean send(String user, ByteBuffer payload) {
        Conversation c = chats.find(user);
        return c != null && c.authenticated && c.state == Conversation.State.OPEN
                && transport.send(c.localId, payload) != PeerTransport.REFUSED;
    }

    @Override
    public boolean sendBulk(String user, ByteBuffer payload) {
        Conversation c = chats.find(user);
        return c != null && c.authenticated && c.state == Conversation.State.OPEN
                && transport.sendBulk(c.localId, payload) != PeerTransport.REFUSED;
    }

    // ---- FileLink.Events: to the user ------------------------------------------------------------

    @Override
    public void offer(String from, long transfer, String name, long size, String sha256) {
        sink.emit(new FileEvents.FileOffer(from, hex(transfer), name, size, sha256));
    }

    @Override
    public void transfer(long transfer, String user, String direction, long bytes, long size, long rateBps, String state) {
        String id = hex(transfer);
        FileEvents.Transfer event = new FileEvents.Transfer(id, user, direction, bytes, size, rateBps, state);
        if (STATE_ACTIVE.equals(state)) {
            progress.progress(id, event);
        } else {
            progress.changed(id, event); // a change of state is always told, and the next progress too
        }
    }

    @Override
    public void received(long transfer, String from, Path path, long size, String sha256) {
        sink.emit(new FileEvents.FileReceived(hex(transfer), from, path.toString(), size, sha256));
    }

    private static String hex(long id) {
        return String.format("%016x", id);
    }

    /** Stops the transfer thread (after the loop stopped): what it had queued runs first. */
    void close() {
        worker.close();
    }
}
