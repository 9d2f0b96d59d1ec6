package parley.peer.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Two {@link Transfers} engines ("alice" sends, "bob" receives) wired back to back through an
 * in-order pipe per direction, as one session would carry them, all on the test thread as the
 * loop. Each side has its own transfer thread and directories, and can be "killed" (its engine
 * dropped, the pipe emptied as a dead session would) and started again from its sidecars.
 */
final class TransferPair implements AutoCloseable {
    /** Bulk payloads a pipe holds before the fake bulk gate refuses (the pump runs again as they drain). */
    static final int GATE = 16;
    /** Where FILE_ACK's verified count sits (PROTOCOL.md 9.7). */
    static final int ACK_VERIFIED = 9;

    final Path root;
    final LinkedBlockingQueue<Runnable> loop = new LinkedBlockingQueue<>();
    final Side alice;
    final Side bob;
    long limit = Long.MAX_VALUE;
    /** Applied to every payload alice sends (a forging sender); identity by default. */
    UnaryOperator<byte[]> tamper = UnaryOperator.identity();

    final class Side implements FileLink, FileLink.Events {
        final String name;
        final Path downloads;
        final Path outgoing;
        final ArrayDeque<byte[]> pipe = new ArrayDeque<>();
        final List<String> events = new ArrayList<>();
        final List<Path> received = new ArrayList<>();
        Transfers engine;
        TransferWorker worker;
        Side peer;
        boolean up = true;
        long chunkBytesSent;
        int bulkQueued;
        /** FILE_ACKs this side sent, and those naming more chunks than its sidecar on disk said then. */
        int acks;
        int acksBeyondDisk;

        Side(String name) {
            this.name = name;
            this.downloads = root.resolve(name).resolve("downloads");
            this.outgoing = root.resolve(name).resolve("transfers");
            start();
        }

        void start() {
            worker = new TransferWorker("files-" + name, loop::add);
            engine = new Transfers(this, this, worker, new PieceBuffers(), downloads, outgoing, limit, System::nanoTime);
        }

        @Override
        public boolean send(String user, ByteBuffer payload) {
            if (!up) {
                return false;
            }
            byte[] b = new byte[payload.remaining()];
            payload.duplicate().get(b);
            if (b[0] == FilePayload.ACK) {
                checkDurable(ByteBuffer.wrap(b).getInt(ACK_VERIFIED));
            }
            pipe.add(this == alice ? tamper.apply(b) : b);
            return true;
        }

        @Override
        public boolean sendBulk(String user, ByteBuffer payload) {
            if (!up || bulkQueued >= GATE) {
                return false;
            }
            if ((payload.get(payload.position()) & 0xFF) == FilePayload.CHUNK) {
                chunkBytesSent += payload.remaining() - FilePayload.CHUNK_FIXED;
            }
            bulkQueued++;
            return send(user, payload);
        }

        @Override
        public void offer(String from, long transfer, String name, long size, String sha256) {
            events.add("offer " + from + " " + name + " " + size);
        }

        @Override
        public void transfer(long transfer, String user, String direction, long bytes, long size, long rateBps, String state) {
            events.add(state);
        }

        @Override
        public void received(long transfer, String from, Path path, long size, String sha256) {
            received.add(path);
        }

        /**
         * An ack must name only chunks a kill -9 now could not lose: at most the count in the
         * sidecar on disk, or the whole file once the sidecar is gone (finished, renamed).
         */
        private void checkDurable(int verified) {
            acks++;
            try (var states = Files.newDirectoryStream(downloads, "*" + PartFile.STATE)) {
                for (Path state : states) {
                    if (verified > ByteBuffer.wrap(Files.readAllBytes(state)).getInt(PartFile.AT_VERIFIED)) {
                        acksBeyondDisk++;
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Delivers what the pipe holds while the receiving engine has room. */
        boolean deliver() {
            boolean moved = false;
            while (!pipe.isEmpty() && peer.engine.hasRoom() && up) {
                byte[] b = pipe.poll();
                if (b.length > 0 && (b[0] == FilePayload.CHUNK || b[0] == FilePayload.HASHES)) {
                    bulkQueued--;
                }
                int r = peer.engine.onPayload(name, ByteBuffer.wrap(b));
                if (r != 0) {
                    throw new AssertionError(peer.name + " rejected a payload of kind " + b[0]);
                }
                moved = true;
            }
            return moved;
        }

        /** kill -9: the engine is gone, its session too; what its worker had queued reaches the disk first. */
        void kill() {
            worker.close();
            up = false;
            peer.up = false;
            pipe.clear();
            peer.pipe.clear();
            bulkQueued = 0;
            peer.bulkQueued = 0;
            peer.engine.onSessionDown(name);
            engine = null;
        }

        /** Restarts from the sidecars, then a session comes up between the two. */
        void restart() {
            start();
            boolean[] loaded = new boolean[1];
            engine.load(() -> loaded[0] = true);
            run(() -> loaded[0]);
            up = true;
            peer.up = true;
            engine.onSessionUp(peer.name);
            peer.engine.onSessionUp(name);
        }
    }

    TransferPair(Path root) {
        this.root = root;
        alice = new Side("alice");
        bob = new Side("bob");
        alice.peer = bob;
        bob.peer = alice;
    }

    /** Runs the loop until {@code done} or 60 s pass; false on the timeout. */
    boolean run(BooleanSupplier done) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            boolean moved = alice.deliver() | bob.deliver();
            if (alice.engine != null) {
                alice.engine.pump();
            }
            if (bob.engine != null) {
                bob.engine.pump();
            }
            Runnable r;
            try {
                r = moved ? loop.poll() : loop.poll(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            while (r != null) {
                r.run();
                r = loop.poll();
            }
        }
        return true;
    }

    long offer(Path file) {
        long[] id = {0};
        alice.engine.send("bob", file, v -> id[0] = v);
        run(() -> id[0] != 0);
        return id[0];
    }

    static Path randomFile(Path dir, String name, int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        Files.createDirectories(dir);
        return Files.write(dir.resolve(name), b);
    }

    @Override
    public void close() {
        alice.worker.close();
        bob.worker.close();
    }
}
