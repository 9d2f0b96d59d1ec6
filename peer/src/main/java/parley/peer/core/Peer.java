package parley.peer.core;

import parley.core.loop.EventLoop;
import parley.core.loop.NanoClock;
import parley.core.util.PrivateFiles;
import parley.peer.command.Command;
import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.net.ReliableTransport;
import parley.peer.output.EventSink;
import parley.peer.output.OutputPressure;
import parley.peer.store.StoreWorker;
import parley.core.loop.WorkQueue;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One running peer: its loop (registry connection, UDP socket, all state), the storage thread and
 * the hashing worker. Front-ends talk to it through {@link #submit}; it talks back through the sink.
 */
public final class Peer implements PeerHandle, AutoCloseable {
    private final EventLoop loop;
    private final StoreWorker storage;
    private final WorkQueue<Runnable> hashing;
    private final PeerCore core;
    private final EventSink sink;
    private final CountDownLatch quit = new CountDownLatch(1);
    private ReliableTransport transport;
    private parley.peer.net.KeyLogFile keyLog;

    /** The info event of a peer whose key log is on: it defeats the encryption of every session. */
    static final String KEY_LOG_WARNING = "WARNING: key log on: every chat session's keys are written to a file; "
            + "anyone who can read it can read and forge your chats. For debugging only. File: ";

    private Peer(PeerConfig config, EventSink sink, NanoClock clock) {
        this.sink = sink;
        this.loop = new EventLoop(config.name + "-loop", clock);
        this.storage = new StoreWorker(config.name + "-storage", loop::execute);
        this.hashing = WorkQueue.forTasks(config.name + "-hashing");
        this.core = new PeerCore(loop, config, sink, storage, hashing, quit::countDown);
    }

    /** Starts the loop, binds the UDP socket and connects to the registry; returns once bound. */
    public static Peer start(PeerConfig config, EventSink sink) throws Exception {
        return start(config, sink, NanoClock.SYSTEM);
    }

    public static Peer start(PeerConfig config, EventSink sink, NanoClock clock) throws Exception {
        if (config.dataDir != null) {
            PrivateFiles.createDirectories(config.dataDir); // 0700 in every mode: history, pins and keys live here
        }
        if (config.announceHost == null) {
            config.announceHost = LocalAddress.towards(config.server); // off the loop: may ask the kernel for a route
        }
        Peer p = new Peer(config, sink, clock);
        p.loop.start();
        CompletableFuture<Void> bound = new CompletableFuture<>();
        p.loop.execute(() -> {
            try {
                p.transport = ReliableTransport.open(p.loop, new InetSocketAddress(bindHost(config), config.udpPort),
                        p.core.transportListener(), config.faults, ChatPayload.channelLimit(config.maxMessageBytes), config.maxDatagram);
                // A backed-up store or terminal stops intake from the network instead of growing
                // without bound: the receive window closes and the sender is held back. File data
                // comes on stream 1 (PROTOCOL.md 9.9) with a gate of its own: a full file intake
                // closes only stream 1's window, and chat flows on.
                OutputPressure out = sink instanceof OutputPressure ? (OutputPressure) sink : null;
                p.transport.intakeGates(() -> p.storage.hasRoom() && (out == null || !out.saturated()), p.core::filesHaveRoom);
                p.storage.onRoom(p.transport::resumeIntake);
                if (out != null) {
                    out.onRelief(() -> p.loop.execute(p.transport::resumeIntake));
                }
                if (config.keyLog != null) {
                    p.keyLog = new parley.peer.net.KeyLogFile(config.keyLog, config.name,
                            why -> p.loop.execute(() -> sink.emit(new ConsoleEvents.Info(why))));
                    p.transport.keyLog(p.keyLog);
                    sink.emit(new ConsoleEvents.Info(KEY_LOG_WARNING + config.keyLog));
                }
                p.core.start(p.transport);
                bound.complete(null);
            } catch (Exception e) {
                bound.completeExceptionally(e);
            }
        });
        try {
            bound.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.close();
            throw e;
        }
        return p;
    }

    private static String bindHost(PeerConfig config) {
        return config.server.getAddress() != null && config.server.getAddress().isLoopbackAddress() ? "127.0.0.1" : "0.0.0.0";
    }

    @Override
    public void submit(Command command) {
        loop.execute(() -> {
            try {
                core.handle(command);
            } catch (RuntimeException e) {
                sink.emit(new ConsoleEvents.Error(ClientErrors.INTERNAL, "the command failed: " + e));
            }
        });
    }

    /** Waits until /quit has finished its goodbye (logout sent, bye emitted). */
    public boolean awaitQuit(long timeout, TimeUnit unit) throws InterruptedException {
        return quit.await(timeout, unit);
    }

    public EventLoop loop() {
        return loop;
    }

    public InetSocketAddress udpAddress() {
        return transport == null ? null : transport.localAddress();
    }

    /** Stops everything: loop (registry connection and UDP socket), then storage and hashing. */
    @Override
    public void close() {
        if (loop.isRunning()) {
            CountDownLatch stopped = new CountDownLatch(1);
            loop.execute(() -> {
                core.shutdown();
                if (transport != null) {
                    transport.shutdown();
                }
                stopped.countDown();
            });
            try {
                stopped.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        loop.close();
        if (keyLog != null) {
            keyLog.close();
        }
        core.closeFiles();
        storage.close();
        hashing.close();
    }
}
