package parley.peer.file;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group commit of verified chunks ({@link GroupCommit}, {@link PartFile#commit}): driven by
 * hand on the test thread as the transfer thread would drive it, with 1 MiB chunks (the usual).
 * Each piece written is followed by the check that the sidecar's count on disk is what the last
 * commit forced, never more.
 */
class GroupCommitTest {
    static final int CHUNK = 1 << 20;
    static final int PIECE = FilePayload.MAX_PIECE;
    static final int CHUNKS = 20;

    @TempDir
    Path tmp;
    final LinkedBlockingQueue<Runnable> loop = new LinkedBlockingQueue<>();
    /** Durable counts the loop was told, in order. */
    final List<Integer> told = new ArrayList<>();
    TransferWorker worker;
    GroupCommit commits;
    byte[] file;
    PartFile part;

    @BeforeEach
    void setUp() throws IOException {
        worker = new TransferWorker("commit-test", loop::add);
        commits = new GroupCommit(worker);
        file = new byte[CHUNKS * CHUNK - 1234];
        new Random(5).nextBytes(file);
        part = accept();
    }

    @AfterEach
    void tearDown() throws IOException {
        worker.close();
        part.close();
    }

    PartFile accept() throws IOException {
        int n = FilePayload.chunkCount(file.length, CHUNK);
        byte[] list = new byte[n * FilePayload.HASH_LENGTH];
        for (int i = 0; i < n; i++) {
            MessageDigest d = ChunkHashes.sha256();
            d.update(file, i * CHUNK, Math.min(CHUNK, file.length - i * CHUNK));
            System.arraycopy(d.digest(), 0, list, i * FilePayload.HASH_LENGTH, FilePayload.HASH_LENGTH);
        }
        PartFile p = PartFile.create(tmp.resolve("downloads"), "alice", 42, file.length, CHUNK,
                ChunkHashes.sha256().digest(file), ChunkHashes.root(list), "g.bin");
        assertThat(p.addHashes(0, ByteBuffer.wrap(list), n)).isEqualTo(PartFile.Status.OK);
        return p;
    }

    /** Writes chunks {@code from} to {@code until} - 1 piece by piece, as the worker does with a busy queue. */
    void write(PartFile p, int from, int until) throws IOException {
        for (long at = (long) from * CHUNK; at < Math.min(file.length, (long) until * CHUNK); ) {
            int len = (int) Math.min(PIECE, Math.min(file.length, (at / CHUNK + 1) * CHUNK) - at);
            PartFile.Status st = p.write(at, ByteBuffer.wrap(file, (int) at, len));
            assertThat(st).isIn(PartFile.Status.OK, PartFile.Status.CHUNK_VERIFIED);
            if (st == PartFile.Status.CHUNK_VERIFIED) {
                commits.verified(p, (durable, failure) -> told.add(durable));
                assertThat((long) (p.verified() - p.durable()) * p.chunk).as("the disk is never further behind than that")
                        .isLessThan(GroupCommit.MAX_UNDURABLE_BYTES);
                commits.drain(p); // the commit thread's fsync, if one was asked for
            }
            at += len;
            assertThat(onDisk(p)).as("the sidecar names only what was forced").isEqualTo(p.durable())
                    .isLessThanOrEqualTo(p.verified());
        }
    }

    /** The verified count in the sidecar file, as a restart would read it. */
    static int onDisk(PartFile p) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(p.state)).getInt(PartFile.AT_VERIFIED);
    }

    void runLoop() {
        for (Runnable r; (r = loop.poll()) != null; ) {
            r.run();
        }
    }

    @Test
    void theRule() {
        assertThat(GroupCommit.due(0, CHUNK, true)).as("nothing waits").isFalse();
        assertThat(GroupCommit.due(1, CHUNK, true)).isTrue();
        assertThat(GroupCommit.due(7, CHUNK, false)).isFalse();
        assertThat(GroupCommit.due(8, CHUNK, false)).as("8 MiB").isTrue();
        assertThat(GroupCommit.due(127, 1 << 16, false)).as("small chunks: still 8 MiB").isFalse();
        assertThat(GroupCommit.due(128, 1 << 16, false)).isTrue();
        assertThat(GroupCommit.due(1, 1 << 24, false)).as("a chunk over 8 MiB: on its own").isTrue();
    }

    @Test
    void whileWorkIsQueuedEveryEighthVerifiedChunkIsOneCommit() throws IOException {
        write(part, 0, 7);
        assertThat(part.verified()).isEqualTo(7);
        assertThat(part.commits()).as("no fsync before the rule says").isZero();
        assertThat(onDisk(part)).isZero();

        write(part, 7, 8);
        assertThat(part.commits()).isEqualTo(1);
        assertThat(part.durable()).isEqualTo(8);

        write(part, 8, 19);
        assertThat(part.commits()).as("8 more: the second commit; 3 wait").isEqualTo(2);
        assertThat(part.durable()).isEqualTo(16);
        assertThat(part.uncommitted()).isEqualTo(3);
        runLoop();
        assertThat(told).as("the loop hears each commit, to ack it").containsExactly(8, 16);
    }

    /** Writes chunks {@code from} to {@code until} - 1 with no waiting for commits, as a busy transfer thread does. */
    void writeFlat(PartFile p, int from, int until) throws IOException {
        for (long at = (long) from * CHUNK; at < (long) until * CHUNK; at += PIECE) {
            if (p.write(at, ByteBuffer.wrap(file, (int) at, PIECE)) == PartFile.Status.CHUNK_VERIFIED) {
                commits.verified(p, (durable, failure) -> told.add(durable));
            }
        }
    }

    @Test
    void aSlowDiskHoldsTheWritesOnlyUntilTheOldestCommitIsDone() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        CountDownLatch waiting = new CountDownLatch(1);
        commits.beforeWait = waiting::countDown;
        worker.sync(() -> await(first)); // the disk is slow: the commit thread is held
        writeFlat(part, 0, 8); // 8 MiB verified: commit 1 asked for, behind the held disk
        worker.sync(() -> await(second)); // and the commit after it is held too
        Thread writer = new Thread(() -> {
            try {
                writeFlat(part, 8, 16); // 16 MiB not durable: commit 2 asked for, then the writes wait
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        writer.start();
        try {
            holdsUntilTheOldest(writer, waiting, first, second);
        } finally {
            first.countDown();
            second.countDown();
        }
    }

    private void holdsUntilTheOldest(Thread writer, CountDownLatch waiting, CountDownLatch first, CountDownLatch second)
            throws Exception {
        assertThat(waiting.await(10, TimeUnit.SECONDS)).as("16 MiB not durable: the writes wait for the disk").isTrue();
        assertThat(part.durable()).as("while the oldest commit is held").isZero();
        first.countDown();
        writer.join(10_000);
        assertThat(writer.isAlive()).as("the oldest commit done, the writes go on while the newer one is in flight").isFalse();
        assertThat(part.durable()).isEqualTo(8);
        assertThat(part.verified()).isEqualTo(16);
        second.countDown();
        commits.drain(part);
        assertThat(part.durable()).isEqualTo(16);
        runLoop();
        assertThat(told).containsExactly(8, 16);
    }

    @Test
    void aCommitWaitsOnTheDiskAloneNotOnTheWholeFileHash() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        worker.hash(() -> await(held)); // the whole-file hash is slow
        try {
            writeFlat(part, 0, 8);
            Runnable reply = loop.poll(10, TimeUnit.SECONDS); // the commit's outcome, posted to the loop
            assertThat(reply).isNotNull();
            reply.run();
            assertThat(told).containsExactly(8);
            assertThat(part.durable()).as("the commit is done while the hash thread is held").isEqualTo(8);
        } finally {
            held.countDown();
        }
        write(part, 8, CHUNKS);
        assertThat(Files.readAllBytes(part.finish())).as("and the whole-file hash still covers every byte").isEqualTo(file);
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anIdleWorkerCommitsWhatWaitsOnce() throws IOException {
        write(part, 0, 3);
        assertThat(part.commits()).isZero();
        commits.idle();
        commits.drain(part);
        assertThat(part.commits()).isEqualTo(1);
        assertThat(onDisk(part)).isEqualTo(3);
        commits.idle();
        commits.drain(part);
        assertThat(part.commits()).as("nothing new to commit").isEqualTo(1);
        runLoop();
        assertThat(told).containsExactly(3);
    }

    @Test
    void theLastChunkIsLeftToFinishWhichForcesTheWholeFile() throws IOException {
        write(part, 0, CHUNKS);
        assertThat(part.complete()).isTrue();
        assertThat(part.commits()).as("only the two batches of 8").isEqualTo(2);
        assertThat(commits.waiting()).isZero();
        Path done = part.finish();
        assertThat(Files.readAllBytes(done)).isEqualTo(file);
    }

    @Test
    void aCancelledFileWaitingForItsCommitIsLeftAlone() throws IOException {
        write(part, 0, 2);
        part.discard();
        commits.idle();
        runLoop();
        assertThat(told).isEmpty();
        assertThat(Files.exists(part.state)).isFalse();
    }

    @Test
    void aReopenAfterAnUncommittedBatchResumesAtTheLastCommit() throws IOException {
        write(part, 0, 13); // committed at 8; 5 more verified, not durable
        ByteBuffer half = ByteBuffer.wrap(file, 13 * CHUNK, PIECE);
        assertThat(part.write(13L * CHUNK, half)).isEqualTo(PartFile.Status.OK);
        part.close(); // kill -9: the uncommitted batch never reached the sidecar

        PartFile again = PartFile.open(part.state);
        assertThat(again.verified()).isEqualTo(8);
        assertThat(again.durable()).isEqualTo(8);
        assertThat(again.expected()).as("resumes at the first chunk not durable").isEqualTo(8L * CHUNK);
        write(again, 8, CHUNKS);
        assertThat(again.complete()).isTrue();
        assertThat(Files.readAllBytes(again.finish())).isEqualTo(file);
    }
}
