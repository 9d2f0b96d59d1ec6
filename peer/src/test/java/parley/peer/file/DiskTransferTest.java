package parley.peer.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both disk ends of a transfer, driven as the protocol drives them (hashes first, then pieces in
 * order), with the network left out: verified chunks, resume from a sidecar after the process
 * died, forged data, names that collide, and the accept checks.
 */
class DiskTransferTest {
    static final int PIECE = FilePayload.MAX_PIECE;
    @TempDir
    Path tmp;

    Path source(String name, int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Path p = tmp.resolve("src").resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, b);
        return p;
    }

    static PartFile accept(Path downloads, SourceFile s) throws IOException {
        return PartFile.create(downloads, "alice", s.id, s.size, s.chunk, s.sha256, s.root, s.name);
    }

    /** Sends the hashes from {@code p}'s first missing one, as FILE_HASHES payloads would. */
    static void hashes(SourceFile s, PartFile p) throws IOException {
        int n = s.list.length / FilePayload.HASH_LENGTH;
        while (p.hashesHeld() < n) {
            int first = p.hashesHeld();
            int k = Math.min(FilePayload.MAX_HASHES_PER_PAYLOAD, n - first);
            assertThat(p.addHashes(first, ByteBuffer.wrap(s.list, first * 32, k * 32), k)).isEqualTo(PartFile.Status.OK);
        }
    }

    /** Sends pieces from {@code from} until {@code until}; returns the bytes sent. */
    static long pieces(SourceFile s, PartFile p, long from, long until) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(PIECE);
        long at = from;
        while (at < until) {
            buf.clear();
            s.read(at, buf);
            PartFile.Status st = p.write(at, buf);
            assertThat(st).isIn(PartFile.Status.OK, PartFile.Status.CHUNK_VERIFIED);
            at += buf.remaining();
        }
        return at - from;
    }

    @Test
    void aFileArrivesVerifiedAndIsRenamedIntoPlace() throws IOException {
        Path src = source("report.bin", 3 * (1 << 20) + 12_345, 1);
        SourceFile s = SourceFile.offer(tmp.resolve("out"), 7, src, "bob");
        assertThat(s.chunk).isEqualTo(1 << 20);
        Path downloads = tmp.resolve("downloads");
        PartFile p = accept(downloads, s);
        assertThat(p.part.getFileName().toString()).isEqualTo("report.bin.part");
        hashes(s, p);
        pieces(s, p, 0, s.size);
        assertThat(p.complete()).isTrue();
        Path done = p.finish();
        assertThat(done).isEqualTo(downloads.resolve("report.bin"));
        assertThat(Files.readAllBytes(done)).isEqualTo(Files.readAllBytes(src));
        assertThat(Files.exists(p.state)).isFalse();
        assertThat(Files.exists(p.part)).isFalse();
    }

    @Test
    void anExistingNameGetsASuffix() throws IOException {
        Path downloads = Files.createDirectories(tmp.resolve("downloads"));
        Files.writeString(downloads.resolve("a.txt"), "mine");
        Files.writeString(downloads.resolve("a (1).txt"), "mine too");
        SourceFile s = SourceFile.offer(tmp.resolve("out"), 8, source("a.txt", 10, 2), "bob");
        PartFile p = accept(downloads, s);
        hashes(s, p);
        pieces(s, p, 0, s.size);
        assertThat(p.finish()).isEqualTo(downloads.resolve("a (2).txt"));
        assertThat(Files.readString(downloads.resolve("a.txt"))).isEqualTo("mine");
    }

    @Test
    void anEmptyFileTransfers() throws IOException {
        SourceFile s = SourceFile.offer(tmp.resolve("out"), 9, source("empty", 0, 3), "bob");
        PartFile p = accept(tmp.resolve("downloads"), s);
        assertThat(p.complete()).isTrue();
        assertThat(Files.size(p.finish())).isZero();
    }

    @Test
    void aReceiverKilledHalfwayResumesFromItsFirstUnverifiedChunk() throws IOException {
        int size = 8 * (1 << 20) + 777;
        Path src = source("big.bin", size, 4);
        Path out = tmp.resolve("out");
        SourceFile s = SourceFile.offer(out, 10, src, "bob");
        Path downloads = tmp.resolve("downloads");
        PartFile p = accept(downloads, s);
        hashes(s, p);
        long first = pieces(s, p, 0, size / 2 + 5 * PIECE); // into chunk 4, past its start
        p.commit(); // the transfer thread went idle: the group commit made chunks 0-3 durable
        Path state = p.state;
        p.close(); // the process dies: nothing more reaches the disk

        PartFile again = PartFile.open(state);
        assertThat(again.verified()).isEqualTo(4);
        assertThat(again.hashesHeld()).isEqualTo(9);
        assertThat(again.expected()).isEqualTo(4L << 20);
        // the sender restarts too: it reloads its sidecar and does not hash the file again
        SourceFile s2 = SourceFile.open(SourceFile.stateFile(out, 10));
        assertThat(s2.unchanged()).isTrue();
        assertThat(s2.list).isEqualTo(s.list);
        long resent = pieces(s2, again, again.expected(), size);
        assertThat(first + resent - size).as("bytes sent twice").isLessThanOrEqualTo(1 << 20);
        assertThat(again.complete()).isTrue();
        assertThat(Files.readAllBytes(again.finish())).isEqualTo(Files.readAllBytes(src));
    }

    /**
     * The whole-file SHA-256 is taken by the commits as chunks become durable: finishing reads back
     * only the chunks after the last commit. Shown by a byte changed on disk in a committed chunk,
     * which only a second pass over the whole file would see, and one changed in a chunk after the
     * last commit, which the finishing read does see.
     */
    @Test
    void finishingReadsBackOnlyTheChunksNotHashedYet() throws IOException {
        Path src = source("one-pass.bin", 3 * (1 << 20) + 999, 15);
        SourceFile s = SourceFile.offer(tmp.resolve("out"), 15, src, "bob");
        PartFile p = accept(tmp.resolve("downloads"), s);
        hashes(s, p);
        pieces(s, p, 0, 2 << 20);
        p.commit(); // chunks 0 and 1: durable (the commit thread),
        p.hashTo(2); // and in the whole-file hash (the hash thread): GroupCommit asks for both
        flipByteOnDisk(p.part, 12_345);
        pieces(s, p, 2 << 20, s.size);
        assertThat(p.complete()).isTrue();
        assertThat(p.finish()).as("finished from the hash the hash thread took").isNotNull();

        Path src2 = source("tail.bin", 3 * (1 << 20) + 999, 17);
        SourceFile s2 = SourceFile.offer(tmp.resolve("out2"), 17, src2, "bob");
        PartFile p2 = accept(tmp.resolve("downloads2"), s2);
        hashes(s2, p2);
        pieces(s2, p2, 0, 2 << 20);
        p2.commit();
        p2.hashTo(2);
        pieces(s2, p2, 2 << 20, s2.size);
        flipByteOnDisk(p2.part, (2 << 20) + 100); // in chunk 2, after the last hashing
        assertThat(p2.finish()).as("the finishing read sees it").isNull();
    }

    /** After a resume, this run never saw the earlier chunks' bytes: it reads the file once at the end. */
    @Test
    void aResumedTransferChecksTheWholeFileByReadingItBack() throws IOException {
        int size = 3 * (1 << 20) + 5;
        Path src = source("resumed.bin", size, 16);
        SourceFile s = SourceFile.offer(tmp.resolve("out"), 16, src, "bob");
        PartFile p = accept(tmp.resolve("downloads"), s);
        hashes(s, p);
        pieces(s, p, 0, 1 << 20);
        p.commit();
        p.close();
        PartFile again = PartFile.open(p.state);
        pieces(s, again, again.expected(), size);
        assertThat(again.complete()).isTrue();
        flipByteOnDisk(again.part, 100); // in chunk 0, verified by the first run
        assertThat(again.finish()).as("the read-back pass sees the changed byte").isNull();
    }

    private static void flipByteOnDisk(Path file, long at) throws IOException {
        try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            c.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 1)).rewind();
            c.write(b, at);
        }
    }

    @Test
    void aRepeatedPieceIsIgnoredAndAGapIsUnexpected() throws IOException {
        SourceFile s = SourceFile.offer(tmp.resolve("out"), 11, source("x", 3 * PIECE, 5), "bob");
        PartFile p = accept(tmp.resolve("downloads"), s);
        ByteBuffer piece = ByteBuffer.allocate(PIECE);
        s.read(0, piece);
        assertThat(p.write(0, piece)).as("before the hash list").isEqualTo(PartFile.Status.UNEXPECTED);
        hashes(s, p);
        assertThat(p.write(0, piece)).isEqualTo(PartFile.Status.OK);
        assertThat(p.write(0, piece)).isEqualTo(PartFile.Status.IGNORED);
        assertThat(p.write(2 * PIECE, piece)).as("a gap").isEqualTo(PartFile.Status.UNEXPECTED);
        assertThat(p.write(PIECE, ByteBuffer.allocate(3 * PIECE))).as("past the end").isEqualTo(PartFile.Status.UNEXPECTED);
    }

    @Test
    void aForgedChunkIsAHashMismatch() throws IOException {
        SourceFile s = SourceFile.offer(tmp.resolve("out"), 12, source("y", (1 << 20) + 10, 6), "bob");
        PartFile p = accept(tmp.resolve("downloads"), s);
        hashes(s, p);
        pieces(s, p, 0, (1 << 20) - PIECE);
        ByteBuffer last = ByteBuffer.allocate(PIECE);
        s.read((1 << 20) - PIECE, last);
        last.put(100, (byte) (last.get(100) ^ 1));
        assertThat(p.write((1 << 20) - PIECE, last)).isEqualTo(PartFile.Status.HASH_MISMATCH);
        assertThat(p.verified()).isZero();
        p.discard();
        assertThat(Files.exists(p.part)).isFalse();
        assertThat(Files.exists(p.state)).isFalse();
    }

    @Test
    void aForgedHashListIsAMismatchAgainstTheRoot() throws IOException {
        SourceFile s = SourceFile.offer(tmp.resolve("out"), 13, source("z", 10, 7), "bob");
        PartFile p = accept(tmp.resolve("downloads"), s);
        byte[] forged = s.list.clone();
        forged[0] ^= 1;
        assertThat(p.addHashes(0, ByteBuffer.wrap(forged), 1)).isEqualTo(PartFile.Status.HASH_MISMATCH);
        assertThat(p.addHashes(1, ByteBuffer.wrap(forged), 1)).as("out of order").isEqualTo(PartFile.Status.UNEXPECTED);
    }

    @Test
    void aSourceChangedSinceTheOfferIsNoticed() throws IOException {
        Path src = source("w", 100, 8);
        SourceFile s = SourceFile.offer(tmp.resolve("out"), 14, src, "bob");
        Files.write(src, new byte[101]);
        assertThat(SourceFile.open(s.state).unchanged()).isFalse();
    }

    @Test
    void theLimitAndTheFreeSpaceAreCheckedBeforeAccepting() throws IOException {
        Path downloads = tmp.resolve("not-yet-created");
        assertThat(Admission.verdict(downloads, 1000, 999)).isEqualTo(FilePayload.TOO_LARGE);
        assertThat(Admission.verdict(downloads, FilePayload.MAX_SIZE, Long.MAX_VALUE)).isEqualTo(FilePayload.NO_SPACE);
        assertThat(Admission.verdict(downloads, 1000, 1000)).isEqualTo(FilePayload.ACCEPT);
        assertThat(Files.exists(downloads)).as("nothing written before accepting").isFalse();
    }
}
